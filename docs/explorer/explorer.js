// The attention explorer (docs/explorer.md): draws what lessons 3 and 4 wrote to attention.json.
//
// The data comes from explorer_data.js, which the docs build makes from docs/explorer/*.json
// (one file per lesson, from a default run): DIKKAT_ATTENTION is a list of such files, each
//   {lesson, model, layers, heads, sentences: [{bucket, english, french, gold, attention}]}
// with attention[layer][head][French word j][English word i] in whole percent and gold a list of
// [i, j] links (seq2seq/attention_export.hpp). A learner's own file (a run's attention.json, or
// attention_translate.json from --translate) is read from the disk with the file picker: nothing
// is fetched, so the page works from file:// and offline.
//
// The view can be chosen in the address too, e.g. explorer.html#sentence=2&model=04_transformer&
// layer=2&head=mean&hover=1: the browser test uses it to check the drawing.
(function () {
  "use strict";

  var models = (window.DIKKAT_ATTENTION || []).slice();  // one entry per lesson (or opened file)
  var state = { sentence: 0, model: null, layer: 0, head: "mean", hover: -1 };
  var el = {};

  function $(id) { return document.getElementById(id); }

  function text(words) { return words.slice(0, -1).join(" "); }  // without <eos>

  function modelName(m) {
    var names = {
      "03_bahdanau_attention": "lesson 3: RNN with additive attention",
      "04_transformer": "lesson 4: transformer"
    };
    return (names[m.lesson] || m.lesson) + (m.file ? " (" + m.file + ")" : "");
  }

  // Every sentence of every model, once, keyed by its English and French words.
  function sentenceList() {
    var seen = {}, list = [];
    models.forEach(function (m) {
      m.sentences.forEach(function (s) {
        var key = s.english.join(" ") + "\t" + s.french.join(" ");
        if (!(key in seen)) {
          seen[key] = list.length;
          list.push({ key: key, english: s.english, french: s.french, bucket: s.bucket, in: {} });
        }
        list[seen[key]].in[m.lesson + (m.file || "")] = s;
      });
    });
    return list;
  }

  function modelKey(m) { return m.lesson + (m.file || ""); }

  function option(select, value, label, selected) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    if (selected) o.selected = true;
    select.appendChild(o);
  }

  // The weights shown: one head's, or the mean of the layer's heads.
  function weights(s, m) {
    var layer = s.attention[Math.min(state.layer, s.attention.length - 1)];
    if (state.head !== "mean" && state.head < layer.length) return layer[state.head];
    return layer[0].map(function (row, j) {
      return row.map(function (_, i) {
        var sum = 0;
        layer.forEach(function (h) { sum += h[j][i]; });
        return Math.round(sum / layer.length);
      });
    });
  }

  function goldSet(s) {
    var g = {};
    s.gold.forEach(function (link) { g[link[0] + "," + link[1]] = true; });
    return g;
  }

  // White to dark blue, as the lessons' SVG heatmaps.
  function colour(percent) {
    var t = Math.max(0, Math.min(1, percent / 100));
    var r = Math.round(247 - t * (247 - 8)), g = Math.round(251 - t * (251 - 48)), b = Math.round(255 - t * (255 - 107));
    return "rgb(" + r + "," + g + "," + b + ")";
  }

  // A table: a row per French word, a column per English word. `cell(j, i)` gives the cell's
  // percent (or null) and whether it is a gold link.
  function grid(id, s, cell, caption) {
    var table = document.createElement("table");
    table.id = id;
    table.className = "ex-grid";
    var cap = document.createElement("caption");
    cap.textContent = caption;
    table.appendChild(cap);
    var head = document.createElement("tr");
    head.appendChild(document.createElement("th"));
    s.english.forEach(function (w, i) {
      var th = document.createElement("th");
      th.className = "ex-col";
      th.dataset.i = i;
      var span = document.createElement("span");
      span.textContent = w;
      th.appendChild(span);
      head.appendChild(th);
    });
    table.appendChild(head);
    s.french.forEach(function (w, j) {
      var tr = document.createElement("tr");
      tr.dataset.j = j;
      var th = document.createElement("th");
      th.className = "ex-row";
      th.textContent = w;
      tr.appendChild(th);
      s.english.forEach(function (e, i) {
        var td = document.createElement("td");
        var c = cell(j, i);
        td.dataset.i = i;
        td.dataset.j = j;
        if (c.percent !== null) {
          td.dataset.weight = c.percent;
          td.style.background = colour(c.percent);
          td.title = w + " \u2190 " + e + ": " + c.percent + " %";
        }
        if (c.gold) td.classList.add("ex-gold");
        tr.appendChild(td);
      });
      tr.addEventListener("mouseenter", function () { hover(j); });
      table.appendChild(tr);
    });
    return table;
  }

  // What French word j reads: the English words by weight, the gold ones marked.
  function hover(j) {
    state.hover = j;
    var s = current(), m = currentModel();
    if (!s || !m) return;
    var w = weights(s, m)[j], gold = goldSet(s);
    ["ex-attention", "ex-gold-grid"].forEach(function (id) {
      var t = $(id);
      if (!t) return;
      Array.prototype.forEach.call(t.querySelectorAll("tr"), function (tr) {
        tr.classList.toggle("ex-hover", tr.dataset.j == j);
      });
    });
    var box = el.reading;
    box.innerHTML = "";
    var title = document.createElement("p");
    var best = 0;
    w.forEach(function (p, i) { if (p > w[best]) best = i; });
    var goldWords = s.english.filter(function (_, i) { return gold[i + "," + j]; });
    title.innerHTML = "";
    title.appendChild(document.createTextNode("Writing "));
    var b = document.createElement("b");
    b.textContent = s.french[j];
    title.appendChild(b);
    title.appendChild(document.createTextNode(", the model reads most: " + s.english[best] + " (" + w[best] + " %). " +
      (goldWords.length ? "Gold alignment: " + goldWords.join(", ") + (gold[best + "," + j] ? " \u2714" : " \u2718") + "."
                        : "No gold link for this word.")));
    box.appendChild(title);
    var line = document.createElement("p");
    line.className = "ex-sentence";
    s.english.forEach(function (e, i) {
      var span = document.createElement("span");
      span.className = "ex-word" + (gold[i + "," + j] ? " ex-gold-word" : "");
      span.dataset.weight = w[i];
      span.style.background = colour(w[i]);
      span.style.color = w[i] > 55 ? "white" : "black";
      span.textContent = e;
      span.title = w[i] + " %";
      line.appendChild(span);
      line.appendChild(document.createTextNode(" "));
    });
    box.appendChild(line);
  }

  function current() {
    var list = sentenceList(), entry = list[state.sentence];
    if (!entry) return null;
    return entry.in[state.model] || null;
  }

  function currentModel() {
    for (var k = 0; k < models.length; ++k) if (modelKey(models[k]) === state.model) return models[k];
    return null;
  }

  // How often this map's largest weight is on a gold-linked word.
  function score(s, m) {
    var w = weights(s, m), gold = goldSet(s), hits = 0, words = 0;
    s.french.forEach(function (_, j) {
      var linked = s.english.some(function (__, i) { return gold[i + "," + j]; });
      if (!linked) return;
      var best = 0;
      w[j].forEach(function (p, i) { if (p > w[j][best]) best = i; });
      words += 1;
      hits += gold[best + "," + j] ? 1 : 0;
    });
    return { hits: hits, words: words };
  }

  function draw() {
    var list = sentenceList();
    el.sentence.innerHTML = "";
    list.forEach(function (entry, k) {
      option(el.sentence, k, "[" + entry.bucket + "] " + text(entry.english), k === state.sentence);
    });
    var entry = list[state.sentence];
    el.model.innerHTML = "";
    if (!entry) { el.view.dataset.state = "empty"; return; }
    var available = models.filter(function (m) { return modelKey(m) in entry.in; });
    if (!available.some(function (m) { return modelKey(m) === state.model; }))
      state.model = available.length ? modelKey(available[0]) : null;
    available.forEach(function (m) { option(el.model, modelKey(m), modelName(m), modelKey(m) === state.model); });
    var m = currentModel(), s = current();
    if (!m || !s) { el.view.dataset.state = "empty"; return; }
    if (state.layer >= s.attention.length) state.layer = s.attention.length - 1;
    el.layer.innerHTML = "";
    for (var l = 0; l < s.attention.length; ++l) option(el.layer, l, "layer " + (l + 1) + " of " + s.attention.length, l === state.layer);
    el.head.innerHTML = "";
    var heads = s.attention[state.layer].length;
    if (heads > 1) option(el.head, "mean", "mean of the " + heads + " heads", state.head === "mean");
    for (var h = 0; h < heads; ++h) option(el.head, h, "head " + (h + 1), state.head === h || (heads === 1));
    if (heads === 1) state.head = 0;

    var w = weights(s, m), gold = goldSet(s);
    el.maps.innerHTML = "";
    var what = m.layers > 1 ? "layer " + (state.layer + 1) + ", " + (state.head === "mean" ? "mean of the heads" : "head " + (state.head + 1)) : "attention";
    el.maps.appendChild(grid("ex-attention", s, function (j, i) {
      return { percent: w[j][i], gold: !!gold[i + "," + j] };
    }, "What the model reads (" + what + ")"));
    el.maps.appendChild(grid("ex-gold-grid", s, function (j, i) {
      return { percent: gold[i + "," + j] ? 100 : 0, gold: !!gold[i + "," + j] };
    }, s.gold.length ? "The gold alignment (the corpus's word links)" : "No gold alignment (your own sentence)"));
    var sc = score(s, m);
    el.score.textContent = sc.words
      ? "The largest weight falls on a gold-aligned English word for " + sc.hits + " of the " + sc.words + " French words with a gold link."
      : "";
    el.view.dataset.state = "drawn";
    el.view.dataset.rows = s.french.length;
    el.view.dataset.cols = s.english.length;
    el.view.dataset.model = m.lesson;
    el.view.dataset.sentence = text(s.english);
    hover(state.hover >= 0 && state.hover < s.french.length ? state.hover : 0);
  }

  // explorer.html#sentence=2&model=04_transformer&layer=2&head=mean&hover=1 (layer, head and
  // hover counted from 1; model by lesson).
  function fromAddress() {
    var q = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var p = kv.split("=");
      if (p[0]) q[decodeURIComponent(p[0])] = decodeURIComponent(p[1] || "");
    });
    if (q.sentence) state.sentence = Math.max(0, parseInt(q.sentence, 10) || 0);
    if (q.model) models.forEach(function (m) { if (m.lesson === q.model) state.model = modelKey(m); });
    if (q.layer) state.layer = Math.max(0, (parseInt(q.layer, 10) || 1) - 1);
    if (q.head) state.head = q.head === "mean" ? "mean" : Math.max(0, (parseInt(q.head, 10) || 1) - 1);
    if (q.hover) state.hover = Math.max(0, (parseInt(q.hover, 10) || 1) - 1);
  }

  function open(file) {
    var reader = new FileReader();
    reader.onload = function () {
      try {
        var m = JSON.parse(reader.result);
        if (!m.sentences || !m.sentences.length) throw new Error("no sentences with attention in it");
        m.file = file.name;
        models.push(m);
        var list = sentenceList(), key = m.sentences[0].english.join(" ") + "\t" + m.sentences[0].french.join(" ");
        list.forEach(function (entry, k) { if (entry.key === key) state.sentence = k; });
        state.model = modelKey(m);
        state.layer = m.layers - 1;
        state.head = "mean";
        el.error.textContent = "";
        draw();
      } catch (e) {
        el.error.textContent = file.name + ": not an attention file of lesson 3 or 4 (" + e.message + ")";
      }
    };
    reader.readAsText(file);
  }

  function start() {
    el.view = $("explorer");
    if (!el.view) return;
    ["sentence", "model", "layer", "head", "maps", "reading", "score", "file", "error"].forEach(function (k) {
      el[k] = $("ex-" + k);
    });
    if (!models.length) {
      el.view.dataset.state = "no-data";
      el.error.textContent = "No attention data: the docs were built without docs/explorer/*.json.";
      return;
    }
    state.model = modelKey(models[0]);
    state.layer = models[0].layers - 1;
    fromAddress();
    el.sentence.addEventListener("change", function () { state.sentence = +el.sentence.value; state.hover = -1; draw(); });
    el.model.addEventListener("change", function () {
      state.model = el.model.value;
      var m = currentModel();
      state.layer = m ? m.layers - 1 : 0;
      state.head = "mean";
      draw();
    });
    el.layer.addEventListener("change", function () { state.layer = +el.layer.value; draw(); });
    el.head.addEventListener("change", function () {
      state.head = el.head.value === "mean" ? "mean" : +el.head.value;
      draw();
    });
    el.file.addEventListener("change", function () { if (el.file.files.length) open(el.file.files[0]); });
    draw();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
