// The proof room in the browser: one state from the server (/events), drawn as it comes.
// A page's picture is swapped only when its file changed, so an edit reloads the pages
// it touched and nothing else; a changed page flashes the cells that changed.
"use strict";

const STATUS = {
  connecting: "连接中…", building: "排版中…", checking: "检查中…",
  ready: "已是最新", error: "排版出错", offline: "连接中断，正在重连…",
};
const KINDS = { news: "消息", feature: "通讯", commentary: "评论", photo: "图片", brief: "简讯" };
const ZOOM_STEP = 1.25;

let zoom = null;          // page width in CSS px; null: fit the window
let chosen = null;        // the article whose details are shown
let lastState = null;

const $ = (id) => document.getElementById(id);
const make = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function pageWidth() {
  if (zoom !== null) return zoom;
  const room = $("pages").clientWidth - 40;
  return Math.max(240, Math.min(room, 1400));
}

function applyZoom() {
  const width = Math.round(pageWidth());
  document.documentElement.style.setProperty("--page-width", `${width}px`);
  for (const img of document.querySelectorAll(".sheet > img.picture")) img.sizes = `${width}px`;
  const natural = lastState && lastState.pages.length ? lastState.pages[0].pixels / 2 : width;
  $("zoom-level").textContent = `${Math.round((100 * width) / natural)}%`;
}

function drawStatus(state) {
  const status = $("status");
  status.dataset.status = state.status;
  status.textContent = STATUS[state.status] || state.status;
  const b = state.build;
  $("build").textContent = b ? `第 ${b.number} 次排版 · ${b.finished} · 用时 ${b.seconds} 秒` : "";
  document.body.classList.toggle("stale", Boolean(state.error));
  const error = state.error;
  $("error").hidden = !error;
  if (error) {
    $("error-file").textContent = error.file || "—";
    $("error-article").textContent = error.article || "—";
    $("error-field").textContent = error.field || "—";
    $("error-message").textContent = error.message;
  }
  $("empty").hidden = state.pages.length > 0 || Boolean(error);
}

function drawPage(page, findings) {
  let section = $(`page-${page.number}`);
  if (!section) {
    section = make("section", { className: "page", id: `page-${page.number}` });
    section.dataset.number = page.number;
    const sheet = make("div", { className: "sheet" });
    const picture = make("img", { className: "picture", alt: `第${page.number}版` });
    const flash = make("img", { className: "flash", alt: "" });
    flash.addEventListener("animationend", () => flash.classList.remove("flashing"));
    sheet.append(picture, flash, make("div", { className: "overlay" }));
    section.append(sheet, make("h2", { textContent: `第${page.number}版` }));
    $("pages").append(section);
  }
  const picture = section.querySelector("img.picture");
  if (section.dataset.src !== page.sharp) {
    const first = !section.dataset.src;
    section.dataset.src = page.sharp;
    picture.sizes = `${Math.round(pageWidth())}px`;
    picture.srcset = `${page.plain} ${Math.ceil(page.pixels / 2)}w, ${page.sharp} ${page.pixels}w`;
    picture.src = page.plain;
    const flash = section.querySelector("img.flash");
    if (page.flash && !first) {
      flash.classList.remove("flashing");
      flash.src = page.flash;
      void flash.offsetWidth; // restart the animation
      flash.classList.add("flashing");
    }
  }
  const overlay = section.querySelector(".overlay");
  overlay.replaceChildren(
    ...page.modules.map((m) => drawModule(m)),
    ...findings.filter((f) => f.page === page.number && f.box).map(drawFinding),
  );
}

function place(node, box) {
  const [left, top, width, height] = box;
  Object.assign(node.style, { left: `${left * 100}%`, top: `${top * 100}%`,
                              width: `${width * 100}%`, height: `${height * 100}%` });
  return node;
}

function drawModule(m) {
  const fill = `${Math.round(m.fill * 100)}%`;
  const overflow = m.overflow ? ` · 溢出 ${m.overflow} 行` : " · 无溢出";
  const node = make("div", { className: "module", title: m.headline }, [
    make("span", { className: "label",
                   textContent: `${m.article} · ${m.span} 栏 · 填充 ${fill}${overflow}` }),
  ]);
  node.dataset.article = m.article;
  node.classList.toggle("overflowing", m.overflow > 0);
  node.classList.toggle("chosen", chosen === m.article);
  node.addEventListener("click", () => choose(m));
  return place(node, m.box);
}

function drawFinding(f) {
  return place(make("div", { className: "finding", title: `${f.rule} ${f.text}` },
                    [make("span", { textContent: f.rule })]), f.box);
}

function drawThumbs(state) {
  const thumbs = $("thumbs");
  const flagged = new Set(state.findings.map((f) => f.page));
  thumbs.replaceChildren(...state.pages.map((page) => {
    const link = make("a", { href: `#page-${page.number}` }, [
      make("img", { src: page.thumb, alt: "" }),
      make("span", { textContent: `第${page.number}版` }),
    ]);
    link.classList.toggle("has-findings", flagged.has(page.number));
    link.addEventListener("click", (event) => {
      event.preventDefault();
      $(`page-${page.number}`).scrollIntoView({ behavior: "smooth", block: "start" });
    });
    return link;
  }));
}

function drawFindings(state) {
  $("findings-count").textContent = state.status === "checking" ? "（检查中）"
    : `（${state.findings.length} 处）`;
  $("findings").replaceChildren(...state.findings.map((f) => {
    const item = make("li", {}, [
      make("span", { className: "rule", textContent: f.rule }),
      `第${f.page}版：${f.text}${f.note ? `（${f.note}）` : ""}`,
    ]);
    item.addEventListener("click", () => {
      const page = $(`page-${f.page}`);
      if (page) page.scrollIntoView({ behavior: "smooth", block: "center" });
    });
    return item;
  }));
  if (!state.findings.length && state.status !== "checking") {
    $("findings").replaceChildren(make("li", { className: "none", textContent: "没有发现问题" }));
  }
}

function drawDownloads(state) {
  $("downloads").replaceChildren(...state.downloads.map((d) => {
    if (!d.url) return make("li", { className: "pending", textContent: `${d.label}（生成中）` });
    const size = d.size ? `（${(d.size / 1e6).toFixed(1)} MB）` : "";
    return make("li", {}, [make("a", { href: d.url, download: "", textContent: d.label }), size]);
  }));
}

async function choose(m) {
  chosen = m.article;
  for (const node of document.querySelectorAll(".module")) {
    node.classList.toggle("chosen", node.dataset.article === chosen);
  }
  $("article").hidden = false;
  const facts = [["稿件", m.article], ["标题", m.headline], ["体裁", KINDS[m.kind] || m.kind],
                 ["源文件", m.file], ["版面字段", m.field || "—"],
                 ["栏数", `${m.span} 栏（第 ${m.column} 栏起）`],
                 ["填充", `${Math.round(m.fill * 100)}%`], ["溢出", `${m.overflow} 行`]];
  $("article-facts").replaceChildren(...facts.flatMap(([term, value]) =>
    [make("dt", { textContent: term }), make("dd", { textContent: value })]));
  $("article-notes").replaceChildren(...(m.notes.length ? m.notes : ["无"]).map(
    (note) => make("li", { textContent: note })));
  $("article-source").textContent = "读取中…";
  const response = await fetch(`/source/${m.file.split("/").map(encodeURIComponent).join("/")}`);
  $("article-source").textContent = response.ok ? await response.text() : "无法读取源文件";
}

function draw(state) {
  lastState = state;
  drawStatus(state);
  const numbers = new Set(state.pages.map((p) => String(p.number)));
  for (const section of document.querySelectorAll(".page")) {
    if (!numbers.has(section.dataset.number)) section.remove();
  }
  for (const page of state.pages) drawPage(page, state.findings);
  drawThumbs(state);
  drawFindings(state);
  drawDownloads(state);
  applyZoom();
}

function connect() {
  const events = new EventSource("/events");
  events.addEventListener("state", (event) => draw(JSON.parse(event.data)));
  events.addEventListener("error", () => {
    const status = $("status");
    status.dataset.status = "offline";
    status.textContent = STATUS.offline;
  }); // EventSource reconnects by itself, and the first event brings the state again
}

$("zoom-in").addEventListener("click", () => { zoom = pageWidth() * ZOOM_STEP; applyZoom(); });
$("zoom-out").addEventListener("click", () => { zoom = pageWidth() / ZOOM_STEP; applyZoom(); });
$("zoom-fit").addEventListener("click", () => { zoom = null; applyZoom(); });
window.addEventListener("resize", applyZoom);
connect();
