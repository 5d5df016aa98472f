// Run in the page by reports/screenshots.py: masks personal numbers, then marks the evidence (wrong text, links).
({masked, texts, links}) => {
  const root = document.body || document.documentElement;
  const textNodes = () => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), out = [];
    while (walk.nextNode()) out.push(walk.currentNode);
    return out;
  };
  const nodes = textNodes();
  for (const [index, text] of masked) { if (nodes[index]) nodes[index].nodeValue = text; }
  const found = {texts: [], links: [], top: null};
  const mark = (el) => {
    el.style.setProperty("outline", "3px solid #e00000", "important");
    el.style.setProperty("outline-offset", "2px", "important");
    el.style.setProperty("background", "#fff3a0", "important");
    const y = el.getBoundingClientRect().top + window.scrollY;
    if (found.top === null || y < found.top) found.top = y;
  };
  const skipped = new Set(["SCRIPT", "STYLE", "TITLE", "NOSCRIPT"]);
  for (const needle of texts) {
    const node = textNodes().find(n => n.parentElement && !skipped.has(n.parentElement.tagName)
                                       && n.nodeValue.includes(needle));
    if (node) {
      const at = node.nodeValue.indexOf(needle), range = document.createRange(), box = document.createElement("mark");
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      range.surroundContents(box);
      box.style.setProperty("color", "#000", "important");
      mark(box);
      found.texts.push(needle);
      continue;
    }
    // The text runs across elements: the smallest element that holds all of it.
    const holders = Array.from(root.querySelectorAll("p, td, li, div, span, h1, h2, h3, a"))
      .filter(el => el.textContent.includes(needle))
      .sort((a, b) => a.textContent.length - b.textContent.length);
    if (holders.length) { mark(holders[0]); found.texts.push(needle); }
  }
  const bare = (url) => (url || "").split("#")[0];
  for (const target of links) {
    const hits = Array.from(document.querySelectorAll("a[href], img[src], iframe[src]"))
      .filter(el => bare(el.href || el.src) === bare(target)).slice(0, 5);
    for (const el of hits) {
      const box = el.getBoundingClientRect(), empty = box.width < 2 || box.height < 2;
      const offscreen = box.right <= 0 || box.bottom + window.scrollY <= 0
                        || box.left >= document.documentElement.scrollWidth;
      let hidden = offscreen;
      // A hidden link is brought out where it sits, so that the picture shows it.
      for (let up = el; up && up !== root; up = up.parentElement) {
        const style = getComputedStyle(up);
        hidden = hidden || style.display === "none" || style.visibility === "hidden" || parseFloat(style.opacity) === 0
                 || style.fontSize === "0px";
        if (style.display === "none") up.style.setProperty("display", "block", "important");
        if (style.visibility === "hidden") up.style.setProperty("visibility", "visible", "important");
        if (parseFloat(style.opacity) === 0) up.style.setProperty("opacity", "1", "important");
        if (style.fontSize === "0px") up.style.setProperty("font-size", "14px", "important");
        if (offscreen && (style.position === "absolute" || style.position === "fixed")) {
          up.style.setProperty("position", "static", "important");
        }
        if (style.overflow === "hidden" && (parseFloat(style.height) < 2 || parseFloat(style.width) < 2)) {
          up.style.setProperty("height", "auto", "important");
          up.style.setProperty("width", "auto", "important");
          up.style.setProperty("overflow", "visible", "important");
        }
      }
      if (hidden || empty) {
        const label = document.createElement("span");
        label.textContent = (hidden ? "隐藏链接：" : "无文字链接：")
                            + (el.textContent.trim() || bare(el.href || el.src)).slice(0, 60);
        for (const [name, value] of [["background", "#e00000"], ["color", "#fff"], ["font", "bold 13px sans-serif"],
                                     ["padding", "1px 4px"], ["margin-left", "4px"]]) {
          label.style.setProperty(name, value, "important");
        }
        el.after(label);
      }
      mark(el);
    }
    if (hits.length) found.links.push(target);
  }
  found.height = Math.max(document.documentElement.scrollHeight, root.scrollHeight, 1);
  found.top = found.top || 0;
  return found;
}
