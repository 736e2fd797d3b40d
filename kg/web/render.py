"""HTML rendering shared by the page routers: one Jinja2 environment, one base context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg.web.labels import preferred_language

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

# Interface words in both languages; the data's own labels come from the graph.
WORDS: dict[str, dict[str, str]] = {
    "home": {"zh": "首页", "en": "Home"},
    "query": {"zh": "SPARQL 查询", "en": "SPARQL query"},
    "examples": {"zh": "示例查询", "en": "Example queries"},
    "dumps": {"zh": "数据下载", "en": "Downloads"},
    "description": {"zh": "数据集描述 (VoID/DCAT)", "en": "Dataset description (VoID/DCAT)"},
    "api": {"zh": "接口文档", "en": "API"},
    "properties": {"zh": "属性", "en": "Properties"},
    "incoming": {"zh": "被引用", "en": "Linked from"},
    "property": {"zh": "属性", "en": "Property"},
    "value": {"zh": "值", "en": "Value"},
    "subject": {"zh": "资源", "en": "Resource"},
    "formats": {"zh": "其他格式", "en": "Other formats"},
    "page": {"zh": "页", "en": "Page"},
    "previous": {"zh": "上一页", "en": "Previous"},
    "next": {"zh": "下一页", "en": "Next"},
    "source": {"zh": "原文", "en": "Source text"},
    "line": {"zh": "行", "en": "line"},
    "documents": {"zh": "文件", "en": "Documents"},
    "graphs": {"zh": "命名图", "en": "Named graphs"},
    "triples": {"zh": "三元组", "en": "triples"},
    "not_found": {"zh": "未找到", "en": "Not found"},
    "shown_part": {"zh": "仅显示部分", "en": "only part is shown"},
    "language": {"zh": "English", "en": "中文"},
}


def language_of(request: Request) -> str:
    """``?lang=`` when given (links between languages use it), else Accept-Language."""
    asked = request.query_params.get("lang")
    if asked in ("zh", "en"):
        return asked
    return preferred_language(request.headers.get("accept-language"))


def render(request: Request, template: str, status_code: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    language = context.pop("lang", None) or language_of(request)
    words = {key: value[language] for key, value in WORDS.items()}
    other = "en" if language == "zh" else "zh"
    html = environment.get_template(template).render(
        request=request, lang=language, words=words, other_language=other,
        other_language_url=str(request.url.include_query_params(lang=other)), **context,
    )
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Content-Language"] = "zh-Hans" if language == "zh" else "en"
    return response
