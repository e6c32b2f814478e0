// The document view: cells hold numbers or null (empty), identities are checked on every edit,
// the selected cell's box is shown on the page image (or its text in the source text), and
// "verified" posts every value to the server, which writes the gold label.
"use strict";

const data = JSON.parse(document.getElementById("doc-data").textContent);
const cells = Array.from(document.querySelectorAll("input.cell"));
const byKey = new Map(cells.map((input) => [input.dataset.key, input]));
const values = new Map();

function shown(value) {
  return value === null || value === undefined ? "" : String(value);
}

// "" and "null" are null (a blank cell); anything else must be a number ("1,234" allowed).
function parsed(text) {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.toLowerCase() === "null") return { ok: true, value: null };
  const number = Number(trimmed.replace(/,/g, ""));
  return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, value: null };
}

function readValue(key) {
  const field = data.fields[key] || {};
  return field.value === undefined ? null : field.value;
}

function startValue(key) {
  if (data.gold && key in data.gold) return data.gold[key];
  return readValue(key);
}

function marks(input) {
  const field = data.fields[input.dataset.key] || {};
  const span = input.parentElement.querySelector(".marks");
  const parts = [];
  if (typeof field.confidence === "number") parts.push(`<span class="conf">${field.confidence.toFixed(2)}</span>`);
  if (field.repaired) parts.push('<span class="mark repaired" title="repaired by the decoder">R</span>');
  if (field.breaks && field.breaks.length) parts.push('<span class="mark source-break" title="the document breaks an identity here">B</span>');
  span.innerHTML = parts.join("");
  const cell = input.parentElement;
  cell.classList.toggle("low", typeof field.confidence === "number" && field.confidence < 0.95);
  cell.classList.toggle("repaired", !!field.repaired);
  cell.classList.toggle("source-break", !!(field.breaks && field.breaks.length));
}

function sumOf(keys) {
  return keys.reduce((total, key) => total + (values.get(key) || 0), 0);
}

function checkIdentities() {
  const broken = new Set();
  const list = document.getElementById("checks");
  const items = [];
  let count = 0;
  for (const identity of data.identities) {
    const left = sumOf(identity.left);
    const right = sumOf(identity.right);
    const holds = Math.abs(left - right) < 1e-6;
    if (!holds) {
      count += 1;
      identity.left.concat(identity.right).forEach((key) => broken.add(key));
      items.push(`<li class="broken" data-identity="${identity.name}">✗ ${identity.name}: ${+left.toFixed(6)} ≠ ${+right.toFixed(6)}</li>`);
    }
  }
  const holding = data.identities.length - count;
  items.push(`<li class="holds">✓ ${holding} of ${data.identities.length} hold</li>`);
  list.innerHTML = items.join("");
  document.getElementById("broken-count").textContent = count ? `(${count} broken)` : "(all hold)";
  for (const input of cells) input.parentElement.classList.toggle("breaks", broken.has(input.dataset.key));
}

function edited(input) {
  const result = parsed(input.value);
  input.classList.toggle("invalid", !result.ok);
  if (result.ok) values.set(input.dataset.key, result.value);
  input.classList.toggle("changed", result.ok && result.value !== readValue(input.dataset.key));
  input.classList.toggle("is-null", result.ok && result.value === null);
  checkIdentities();
}

// --- the source pane: page image with the box, or the text with the span ---------------------
const image = document.getElementById("page-image");
const highlight = document.getElementById("highlight");
const sourceText = document.getElementById("source-text");
const fullText = sourceText ? sourceText.textContent : "";
let selected = null;

function showPage(page) {
  if (!image || !page || String(page) === image.dataset.page) return;
  image.dataset.page = String(page);
  image.src = `/doc/${data.number}/page/${page}`;
  document.querySelectorAll(".page-button").forEach((b) => b.classList.toggle("current", b.dataset.page === String(page)));
}

function placeHighlight() {
  if (!image || !highlight) return;
  const field = selected ? data.fields[selected.dataset.key] || {} : {};
  if (!field.bbox || String(field.page) !== image.dataset.page || !image.naturalWidth) {
    highlight.hidden = true;
    return;
  }
  const scale = (data.scales[field.page - 1] || 1) * (image.clientWidth / image.naturalWidth);
  const [x0, y0, x1, y1] = field.bbox;
  Object.assign(highlight.style, {
    left: `${x0 * scale - 3}px`, top: `${y0 * scale - 3}px`,
    width: `${(x1 - x0) * scale + 6}px`, height: `${(y1 - y0) * scale + 6}px`,
  });
  highlight.hidden = false;
  highlight.scrollIntoView({ block: "nearest", inline: "nearest" });
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function markText(field) {
  if (!sourceText) return;
  if (typeof field.offset !== "number") {
    sourceText.textContent = fullText;
    return;
  }
  const end = field.offset + Math.max(1, (field.text || "").length);
  sourceText.innerHTML = escapeHtml(fullText.slice(0, field.offset)) + '<mark id="text-mark">' +
    escapeHtml(fullText.slice(field.offset, end)) + "</mark>" + escapeHtml(fullText.slice(end));
  document.getElementById("text-mark").scrollIntoView({ block: "center" });
}

function explain(input) {
  const key = input.dataset.key;
  const field = data.fields[key] || {};
  const rows = [`<p><code>${key}</code></p>`,
    `<p>read: <b>${field.text === null || field.text === undefined ? "nothing" : escapeHtml(String(field.text))}</b>` +
    ` → value <b>${shown(readValue(key)) || "null"}</b></p>`];
  if (typeof field.confidence === "number") rows.push(`<p>confidence ${field.confidence}</p>`);
  if (field.repaired) rows.push("<p class=\"repaired\">repaired: the decoder chose a value other than what was read</p>");
  if (field.page) rows.push(`<p>page ${field.page}${field.bbox ? ", box " + field.bbox.join(", ") : ""}</p>`);
  for (const name of field.breaks || []) rows.push(`<p class="source-break">the document breaks ${name} as printed</p>`);
  for (const note of field.notes || []) rows.push(`<p class="note">${escapeHtml(note)}</p>`);
  document.getElementById("explain").innerHTML = rows.join("");
}

function select(input) {
  selected = input;
  const field = data.fields[input.dataset.key] || {};
  explain(input);
  if (image && field.page) showPage(field.page);
  placeHighlight();
  markText(field);
}

// --- keyboard: arrows move by row and column, Enter goes down, Esc restores, Ctrl+Enter saves --
function neighbour(input, rowStep) {
  const table = input.closest("table");
  const row = Number(input.dataset.row) + rowStep;
  const column = Number(input.dataset.column);
  const candidates = Array.from(table.querySelectorAll(`input.cell[data-row="${row}"]`));
  if (!candidates.length) {
    const index = cells.indexOf(input);
    return rowStep > 0 ? cells[index + 1] : cells[index - 1];
  }
  return candidates.reduce((best, c) =>
    Math.abs(Number(c.dataset.column) - column) < Math.abs(Number(best.dataset.column) - column) ? c : best);
}

function move(input, target) {
  if (target) {
    target.focus();
    target.select();
  }
}

function onKey(event) {
  const input = event.target;
  const index = cells.indexOf(input);
  if ((event.ctrlKey || event.metaKey) && (event.key === "Enter" || event.key === "s")) {
    event.preventDefault();
    save();
  } else if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) {
    event.preventDefault();
    move(input, neighbour(input, 1));
  } else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) {
    event.preventDefault();
    move(input, neighbour(input, -1));
  } else if (event.key === "ArrowRight" && input.selectionEnd === input.value.length) {
    event.preventDefault();
    move(input, cells[index + 1]);
  } else if (event.key === "ArrowLeft" && input.selectionStart === 0) {
    event.preventDefault();
    move(input, cells[index - 1]);
  } else if (event.key === "Escape") {
    input.value = shown(readValue(input.dataset.key));
    edited(input);
  }
}

// --- saving ----------------------------------------------------------------------------------
async function save() {
  const status = document.getElementById("save-status");
  const invalid = cells.filter((c) => c.classList.contains("invalid"));
  if (invalid.length) {
    status.textContent = `not saved: ${invalid[0].dataset.key} is not a number`;
    move(invalid[0], invalid[0]);
    return;
  }
  const yearText = document.getElementById("year").value.trim();
  const body = {
    template: document.getElementById("template").value,
    agency: document.getElementById("agency").value.trim() || null,
    year: yearText ? Number(yearText) : null,
    fields: Object.fromEntries(cells.map((c) => [c.dataset.key, values.get(c.dataset.key)])),
  };
  status.textContent = "saving…";
  const response = await fetch(`/doc/${data.number}/label`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) {
    status.textContent = `not saved: ${typeof answer.detail === "string" ? answer.detail : JSON.stringify(answer.detail)}`;
    status.className = "failed";
    return;
  }
  status.textContent = `saved ${answer.saved}${answer.with_document ? " with its document" : " (source not found: no document copied)"}`;
  status.className = "saved";
  const badge = document.getElementById("verified-badge");
  badge.textContent = `verified: ${answer.saved}`;
  badge.className = "badge good";
  document.querySelector("#label-count b").textContent = answer.labels;
}

for (const input of cells) {
  input.value = shown(startValue(input.dataset.key));
  values.set(input.dataset.key, startValue(input.dataset.key));
  marks(input);
  edited(input);
  input.addEventListener("input", () => edited(input));
  input.addEventListener("focus", () => { select(input); input.select(); });
  input.addEventListener("keydown", onKey);
}
document.getElementById("verify").addEventListener("click", save);
document.querySelectorAll(".page-button").forEach((b) => b.addEventListener("click", () => showPage(b.dataset.page)));
if (image) {
  image.addEventListener("load", placeHighlight);
  window.addEventListener("resize", placeHighlight);
}
checkIdentities();
