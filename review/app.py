"""The review web app (FastAPI, Jinja2 templates, a little vanilla JS): queue, document view,
saving verified labels.

Only these are read: the results folder's `extractions.jsonl`, the sources its records name, the
labels folder and the model's `training.json`; only the labels folder is written. Documents are
addressed by their line number in `extractions.jsonl`, looked up in the records loaded at
start — no part of a request becomes a path.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

from extraction.templates import Template, template_for_year
from review.explain import cell_notes, source_break_identities
from review.labels import LabelEdit, LabelError, LabelStore, gold_from_edit, label_names
from review.layout import table_layouts
from review.model_status import model_status
from review.pages import PageNotFound, SourceView, page_png, source_view
from review.queue import QueueFilter, review_queue
from review.results import ReviewItem, read_results, read_source

HERE = Path(__file__).resolve().parent
DEFAULT_TEMPLATE = "2021"
# Requests must name this machine: a page elsewhere that rebinds its DNS name to 127.0.0.1 is refused.
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]


@dataclass(frozen=True)
class ReviewConfig:
    results: Path  # an `extract --out` folder
    labels: Path  # where verified labels (gold JSON + a copy of the source) are written
    sources: Path  # relative record sources are read from here (where `extract` ran)
    model: Path  # the locator model whose last training the page shows
    dpi: int = 150  # the extraction's rendering resolution: OCR boxes are in pixels at this dpi
    low_confidence: float = 0.95  # fields under this count as doubtful in the queue


class LabelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    template: str = Field(max_length=16)
    agency: str | None = Field(default=None, max_length=200)
    year: StrictInt | None = Field(default=None, ge=1900, le=2200)
    fields: dict[str, StrictInt | StrictFloat | None] = Field(max_length=1000)


@dataclass
class _State:
    config: ReviewConfig
    templates: dict[str, Template]
    items: dict[int, ReviewItem]
    names: dict[int, str]
    store: LabelStore
    views: dict[int, SourceView] = field(default_factory=dict)


def _template_of(state: _State, item: ReviewItem, asked: str | None) -> Template:
    """The record's template; for a record without one (an error) the one asked for, else the
    one its year implies, else the current form."""
    for candidate in (item.record.get("template"), asked):
        if isinstance(candidate, str) and candidate in state.templates:
            return state.templates[candidate]
    year = item.record.get("year")
    if isinstance(year, int):
        try:
            return template_for_year(state.templates, year)
        except KeyError:
            pass
    return state.templates[DEFAULT_TEMPLATE]


def _item(state: _State, number: int) -> ReviewItem:
    item = state.items.get(number)
    if item is None:
        raise HTTPException(404, f"no document {number} in {state.config.results}")
    return item


def _view(state: _State, item: ReviewItem) -> SourceView:
    if item.number not in state.views:
        state.views[item.number] = source_view(read_source(item, state.config.sources), state.config.dpi)
    return state.views[item.number]


def _retrain_command(config: ReviewConfig) -> str:
    def shown(path: Path) -> str:
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path.resolve())
    return f"govreport train --data {shlex.quote(shown(config.labels))} --init {shlex.quote(shown(config.model))}"


def _document_data(item: ReviewItem, template: Template, keys: list[str], gold: dict | None,
                   view: SourceView) -> dict:
    notes, breaks = cell_notes(item.record, template), source_break_identities(item.record, template)
    fields = {}
    for key in keys:
        read = item.fields.get(key, {})
        fields[key] = {name: read.get(name) for name in ("value", "text", "confidence", "repaired", "page", "bbox",
                                                         "offset")}
        fields[key]["notes"], fields[key]["breaks"] = notes.get(key, []), breaks.get(key, [])
    return {
        "number": item.number, "template": template.id, "fields": fields,
        "gold": gold.get("fields") if gold else None,
        "identities": [{"name": i.name, "left": list(i.left), "right": list(i.right)} for i in template.identities
                       if set(i.fields) <= set(template.fields)],
        "scales": list(view.page_scales),
    }


def create_app(config: ReviewConfig, templates: dict[str, Template]) -> FastAPI:
    items = read_results(config.results)
    state = _State(config, templates, {i.number: i for i in items}, label_names(items, config.labels),
                   LabelStore(config.labels))
    app = FastAPI(title="govreport review", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=LOCAL_HOSTS)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    pages = Jinja2Templates(directory=HERE / "templates")

    def common() -> dict:
        return {"config": config, "labels": state.store.count(), "model": model_status(config.model),
                "retrain": _retrain_command(config)}

    def verified() -> set[int]:
        return {n for n, name in state.names.items() if state.store.read(name) is not None}

    @app.get("/", response_class=HTMLResponse)
    def queue(request: Request, agency: str = Query("", max_length=200), year: int | None = Query(None),
              status: Literal["", "ok", "error", "verified", "to_review"] = ""):
        where = QueueFilter(agency, year, status)
        everything = review_queue(items, templates, verified(), config.low_confidence)
        shown = review_queue(items, templates, verified(), config.low_confidence, where)
        return pages.TemplateResponse(request, "queue.html", {
            **common(), "entries": shown, "total": len(everything), "where": where,
            "counts": {"documents": len(everything), "errors": sum(1 for e in everything if e.needs.error),
                       "verified": sum(1 for e in everything if e.verified),
                       "repaired": sum(e.needs.repaired for e in everything),
                       "source_breaks": sum(e.needs.source_breaks for e in everything),
                       "unread_tables": sum(e.needs.unread_tables for e in everything),
                       "low_confidence": sum(e.needs.low_confidence for e in everything)},
            "years": sorted({e.item.record.get("year") for e in everything if isinstance(e.item.record.get("year"), int)}),
        })

    @app.get("/doc/{number}", response_class=HTMLResponse)
    def document(request: Request, number: int, template: str | None = Query(None, max_length=16)):
        item = _item(state, number)
        chosen = _template_of(state, item, template)
        gold = state.store.read(state.names[number])
        if gold is not None and gold.get("template") != chosen.id:
            gold = None
        keys_shown = set(item.fields) | set((gold or {}).get("fields") or {}) | set(chosen.field_keys())
        layouts = table_layouts(chosen, keys_shown)
        keys = [k for layout in layouts for k in layout.keys]
        view = _view(state, item)
        order = [e.item.number for e in review_queue(items, templates, verified(), config.low_confidence)]
        following = order[order.index(number) + 1] if number in order and order.index(number) + 1 < len(order) else None
        return pages.TemplateResponse(request, "document.html", {
            **common(), "item": item, "template": chosen, "templates": sorted(templates), "layouts": layouts,
            "view": view, "gold": gold, "name": state.names[number], "next": following,
            "data": _document_data(item, chosen, keys, gold, view),
        })

    @app.get("/doc/{number}/page/{page}")
    def page(number: int, page: int):
        item = _item(state, number)
        source = read_source(item, config.sources)
        if source is None:
            raise HTTPException(404, "the source document is not to be found")
        try:
            png = page_png(source, page, config.dpi)
        except PageNotFound:
            raise HTTPException(404, f"document {number} has no page {page}") from None
        return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})

    @app.post("/doc/{number}/label")
    def save_label(number: int, request: LabelRequest):
        item = _item(state, number)
        if request.template not in templates:
            raise HTTPException(422, f"unknown template {request.template!r}")
        template = templates[request.template]
        layouts = table_layouts(template, set(request.fields))
        expected = [k for layout in layouts for k in layout.keys]
        try:
            gold = gold_from_edit(LabelEdit(request.template, request.agency, request.year, request.fields),
                                  template, expected, item.record.get("sections") or [])
        except LabelError as exc:
            raise HTTPException(422, str(exc)) from None
        source = read_source(item, config.sources)
        path = state.store.save(state.names[number], gold, source)
        return JSONResponse({"saved": path.name, "with_document": source is not None,
                             "source_breaks": gold["source_breaks"], "labels": state.store.count()})

    return app
