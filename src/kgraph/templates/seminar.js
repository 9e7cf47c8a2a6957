/* kgraph seminar page. Every text from the graph is untrusted: it reaches the DOM
   only through textContent / createElement, never parsed as markup, and the canvas
   draws labels as plain text. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var NODE_STYLES = data.styles.nodes, EDGE_STYLES = data.styles.edges;
  var DIM_NODE = { background: "#eceef1", border: "#dfe2e6",
                   highlight: { background: "#eceef1", border: "#dfe2e6" } };
  var DIM_FONT = "#c8ccd2";

  // Bidi embedding and override controls (U+202A-E, U+2066-9) can make a text read
  // differently from what it is ("Trojan source"); the corpus needs none, so every
  // graph text is shown without them, and each sits in its own dir="auto" element,
  // isolated from its neighbours as <bdi> would be.
  var BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
  function clean(text) { return String(text).replace(BIDI, ""); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) {
      node.textContent = clean(text);
      node.setAttribute("dir", "auto");
    }
    return node;
  }
  function $(id) { return document.getElementById(id); }
  function fold(text) {  // case- and accent-insensitive matching
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* ------------------------------------------------------------ data sets */
  var nodeList = data.nodes, edgeList = data.edges;
  var byId = {};
  var incident = nodeList.map(function () { return []; });
  nodeList.forEach(function (n, i) { n.index = i; byId[n.id] = n; });
  edgeList.forEach(function (e, i) {
    e.index = i; incident[e.from].push(i); incident[e.to].push(i);
  });

  var labelFactor = 1, tierFont = { 1: data.fontSize, 2: data.fontSize, 3: data.fontSize };
  function fontFor(style, tier) {
    // a white halo keeps labels readable where links cross them
    return { color: NODE_STYLES[style].font, size: Math.round(tierFont[tier] * labelFactor),
             strokeWidth: 5, strokeColor: "#ffffff",
             face: "DejaVu Sans, Segoe UI, Arial, sans-serif" };
  }
  function colorFor(style) {
    var c = NODE_STYLES[style].color;
    return { background: c, border: NODE_STYLES[style].border,
             highlight: { background: c, border: "#111827" },
             hover: { background: c, border: "#111827" } };
  }
  function edgeColor(kind) {
    var s = EDGE_STYLES[kind];
    return { color: s.color, highlight: "#111827", hover: "#111827", opacity: s.opacity };
  }

  var visNodes = new vis.DataSet(nodeList.map(function (n) {
    var s = NODE_STYLES[n.style];
    return { id: n.id, label: clean(n.short), kind: n.kind, x: n.x, y: n.y, size: n.size,
             shape: s.shape, color: colorFor(n.style), font: fontFor(n.style, n.tier),
             // statements and evidence labels appear only once big enough to read
             scaling: { label: { drawThreshold: data.drawFrom[n.tier], maxVisible: 34 } },
             borderWidth: n.id === data.focus ? 5 : 2,
             widthConstraint: widthFor(n.tier) };
  }));
  var visEdges = new vis.DataSet(edgeList.map(function (e) {
    var s = EDGE_STYLES[e.kind];
    return { id: "e" + e.index, from: nodeList[e.from].id, to: nodeList[e.to].id,
             width: e.width, color: edgeColor(e.kind), dashes: s.dashes,
             arrows: data.large ? undefined : { to: { enabled: s.arrow, scaleFactor: 0.6 } } };
  }));

  var options = {
    autoResize: true,
    physics: { enabled: false, solver: "forceAtlas2Based",
               stabilization: { enabled: false } },
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: { shadow: false, chosen: true },
    edges: { smooth: false, selectionWidth: 2, hoverWidth: 1 },
    interaction: { hover: !data.large, tooltipDelay: 200, hideEdgesOnDrag: data.large,
                   hideEdgesOnZoom: data.large, multiselect: false, navigationButtons: false,
                   keyboard: false }  // the page's own keys, below, on the focused drawing
  };
  // a timeline below the drawing (made further down) takes its room before the first fit
  var hasTimeline = !!data.dateRange && nodeList.some(function (n) { return n.d && n.dk; });
  if (hasTimeline) $("kg-main").classList.add("kg-has-timeline");
  var network = new vis.Network($("kg-network"),
                                { nodes: visNodes, edges: visEdges }, options);
  // fit() frames the nodes, not their labels: leave a margin so edge labels show.
  function fitAll(animate) {
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * 0.9,
                     animation: animate ? { duration: 300, easingFunction: "easeInOutQuad" } : false });
  }
  // At the first picture, actor and narrative labels must read on a projector:
  // on-screen size is font × zoom, so their font grows until it is legible. Bigger
  // labels widen what fit() frames, so fit again and size the font for that zoom.
  // (Not in the light mode for big graphs: there labels wait until one zooms in.)
  // The font is always sized for the camera it ends at.
  function initialCamera() {
    fitAll(false);
    for (var round = 0; round < 3 && !data.large; round++) {
      var legible = Math.max(data.fontSize, Math.ceil(data.legiblePx / (network.getScale() || 1)));
      if (legible === tierFont[1]) break;
      tierFont[1] = legible;
      refreshFonts(1);
      if (round < 2) fitAll(false);
    }
  }
  initialCamera();  // a first guess, so the first frame is about right
  function refreshFonts(tier) {  // every node's font, or only one tier's
    var which = tier ? nodeList.filter(function (n) { return n.tier === tier; }) : nodeList;
    if (!which.length) return;
    visNodes.update(which.map(function (n) {
      return { id: n.id, font: dimmed && !nearNow[n.index] ? dimFont(n) : fontFor(n.style, n.tier),
               widthConstraint: widthFor(n.tier) };
    }));
  }
  // labels wrap after about 17 characters whatever their size (layout.py counts so)
  function widthFor(tier) {
    return data.large ? undefined
      : { maximum: Math.round(230 * tierFont[tier] * labelFactor / data.fontSize) };
  }
  function dimFont(n) { var f = fontFor(n.style, n.tier); f.color = DIM_FONT; return f; }
  network.once("afterDrawing", function () {
    // vis-network measures labels as it draws: only now does fit() frame them as
    // the Fit button will, so the first picture is set again (and then the URL's view)
    initialCamera();
    restoreState();
    window.kgraphFirstDraw = performance.now();
    document.documentElement.setAttribute("data-drawn", "yes");
  });

  /* ------------------------------------------------------------ legend */
  (function legend() {
    var nodeCounts = {}, edgeCounts = {};
    nodeList.forEach(function (n) { nodeCounts[n.style] = (nodeCounts[n.style] || 0) + 1; });
    edgeList.forEach(function (e) { edgeCounts[e.kind] = (edgeCounts[e.kind] || 0) + 1; });
    data.styleOrder.nodes.forEach(function (key) {
      if (!nodeCounts[key]) return;
      var s = NODE_STYLES[key], li = el("li");
      var swatch = el("span", "kg-swatch", s.glyph);
      swatch.style.color = s.color;
      li.appendChild(swatch);
      li.appendChild(el("span", null, s.label));
      li.appendChild(el("span", "kg-count", nodeCounts[key]));
      $("kg-legend-nodes").appendChild(li);
    });
    data.styleOrder.edges.forEach(function (key) {
      if (!edgeCounts[key]) return;
      var s = EDGE_STYLES[key], li = el("li");
      var line = el("span", "kg-line" + (s.dashes ? " kg-dashed" : ""));
      line.style.borderTopColor = s.color;
      li.appendChild(line);
      li.appendChild(el("span", null, s.label));
      li.appendChild(el("span", "kg-count", edgeCounts[key]));
      $("kg-legend-edges").appendChild(li);
    });
  })();

  /* ------------------------------------------------------------ filters */
  var facets = [
    { key: "n", title: "Narratives", values: data.narratives },
    { key: "c", title: "Revisionism categories", values: data.categories },
    { key: "ak", title: "Actor kinds", values: data.actorKinds }
  ];
  var checked = {};  // facet key → array of booleans, by value index
  facets.forEach(function (facet) {
    if (!facet.values.length) return;
    checked[facet.key] = facet.values.map(function () { return true; });
    var box = el("div", "kg-filter");
    box.id = "kg-filter-" + facet.key;
    var head = el("h3", null, facet.title);
    var all = el("button", null, "all"), none = el("button", null, "none");
    all.type = none.type = "button";
    head.appendChild(all); head.appendChild(none);
    box.appendChild(head);
    var list = el("div", "kg-filter-list");
    var inputs = facet.values.map(function (value, i) {
      var label = el("label", "kg-check");
      var input = el("input");
      input.type = "checkbox"; input.checked = true;
      input.setAttribute("data-facet", facet.key);
      input.setAttribute("data-value", value[0]);
      input.addEventListener("change", function () {
        checked[facet.key][i] = input.checked; applyFilters();
      });
      label.appendChild(input);
      label.appendChild(el("span", null, value[1]));
      list.appendChild(label);
      return input;
    });
    function setAll(state) {
      inputs.forEach(function (input, i) { input.checked = state; checked[facet.key][i] = state; });
      applyFilters();
    }
    all.addEventListener("click", function () { setAll(true); });
    none.addEventListener("click", function () { setAll(false); });
    box.appendChild(list);
    $("kg-filter-groups").appendChild(box);
  });
  var dateFrom = $("kg-date-from"), dateTo = $("kg-date-to"), keepUndated = $("kg-undated");
  if (data.dateRange) {
    $("kg-filter-dates").hidden = false;
    [dateFrom, dateTo].forEach(function (input) {
      input.min = data.dateRange[0]; input.max = data.dateRange[1];
      input.addEventListener("change", applyFilters);
    });
  }
  keepUndated.addEventListener("change", applyFilters);

  function facetPasses(key, values) {
    // A node or link without values for a facet is not about it: the facet keeps it.
    if (!checked[key] || !values || !values.length) return true;
    for (var i = 0; i < values.length; i++) if (checked[key][values[i]]) return true;
    return false;
  }
  function datePasses(ranges, datable) {
    var from = dateFrom.value, to = dateTo.value;
    if (!from && !to) return true;
    // Undated items: the range says nothing about them; kept unless the user drops them.
    if (!ranges || !ranges.length) return !datable || keepUndated.checked;
    for (var i = 0; i < ranges.length; i++) {
      if ((!to || ranges[i][0] <= to) && (!from || ranges[i][1] >= from)) return true;
    }
    return false;
  }
  function ownPasses(item) {
    return facetPasses("n", item.n) && facetPasses("c", item.c) &&
           facetPasses("ak", item.ak === undefined ? null : [item.ak]) && datePasses(item.d, item.dk);
  }

  var hidden = nodeList.map(function () { return false; });
  var edgeHidden = edgeList.map(function () { return false; });
  function applyFilters() {
    var own = nodeList.map(ownPasses);
    var edgeShown = edgeList.map(function (e) {
      return own[e.from] && own[e.to] && ownPasses(e);
    });
    var nodeUpdates = [], edgeUpdates = [], shownNodes = 0, shownEdges = 0;
    // A node whose every link of evidence was filtered away has lost what put it on
    // the page. Links of the vocabulary (a narrower narrative) do not keep a node;
    // a node that has only those (a top narrative) stays while one of its ends does.
    var show = own.slice();
    nodeList.forEach(function (n, i) {
      var evidence = incident[i].filter(function (k) { return !edgeList[k].s; });
      if (show[i] && evidence.length) {
        show[i] = evidence.some(function (k) { return edgeShown[k]; });
      }
    });
    nodeList.forEach(function (n, i) {
      if (!show[i] || !incident[i].length) return;
      if (incident[i].every(function (k) { return edgeList[k].s; })) {
        show[i] = incident[i].some(function (k) {
          var e = edgeList[k], other = e.from === i ? e.to : e.from;
          return edgeShown[k] && show[other];
        });
      }
    });
    nodeList.forEach(function (n, i) {
      if (hidden[i] === show[i]) { hidden[i] = !show[i]; nodeUpdates.push({ id: n.id, hidden: !show[i] }); }
      if (show[i]) shownNodes++;
    });
    edgeList.forEach(function (e, k) {
      var show = edgeShown[k] && !hidden[e.from] && !hidden[e.to];
      if (edgeHidden[k] === show) { edgeHidden[k] = !show; edgeUpdates.push({ id: "e" + k, hidden: !show }); }
      if (show) shownEdges++;
    });
    if (nodeUpdates.length) visNodes.update(nodeUpdates);
    if (edgeUpdates.length) visEdges.update(edgeUpdates);
    var selected = network.getSelectedNodes();
    if (selected.length && hidden[byId[selected[0]].index]) clearSelection();
    showCounts(shownNodes, shownEdges);
    showUndated(show);
    // never an empty canvas without saying why
    $("kg-empty").hidden = !(nodeList.length && shownNodes === 0);
    saveState();
  }
  var datableNodes = nodeList.some(function (n) { return n.dk; });
  function showUndated(show) {
    var note = $("kg-undated-note");
    if (!dateFrom.value && !dateTo.value) { note.hidden = true; return; }
    // the items are the dated kind of thing the view draws: statements, acts, events
    // as nodes; in the actor-narrative view, the links that stand for statements
    var undated = 0, kept = 0;
    if (datableNodes) {
      nodeList.forEach(function (n, i) { if (n.dk && !n.d) { undated++; if (show[i]) kept++; } });
    } else {
      edgeList.forEach(function (e, k) { if (e.dk && !e.d) { undated++; if (!edgeHidden[k]) kept++; } });
    }
    note.textContent = keepUndated.checked
      ? kept + " undated item" + (kept === 1 ? "" : "s") + " kept: the date range says nothing about them."
      : undated + " undated item" + (undated === 1 ? "" : "s") + " dropped.";
    note.hidden = !undated;
  }
  function showCounts(shownNodes, shownEdges) {
    var text = nodeList.length + " nodes · " + edgeList.length + " links";
    if (shownNodes !== nodeList.length || shownEdges !== edgeList.length) {
      text = "showing " + shownNodes + " of " + nodeList.length + " nodes · " +
             shownEdges + " of " + edgeList.length + " links";
    }
    $("kg-counts").textContent = text;
  }
  function showEverything() {
    Array.prototype.forEach.call(document.querySelectorAll("#kg-filter-groups input"),
      function (input) { input.checked = true; });
    Object.keys(checked).forEach(function (key) {
      checked[key] = checked[key].map(function () { return true; });
    });
    dateFrom.value = ""; dateTo.value = ""; keepUndated.checked = true;
    if (timeSlider) { timeSlider.value = timeSlider.max; showTime(); }
    clearSelection();
    input.value = ""; runSearch();
    applyFilters();
    fitAll(true);  // and the whole graph back in view
  }
  $("kg-reset").addEventListener("click", showEverything);
  $("kg-empty-reset").addEventListener("click", showEverything);
  function resetLayout() {
    // back to the positions computed in Python, physics off
    if (data.physicsToggle) { $("kg-physics").checked = false; }
    network.setOptions({ physics: { enabled: false } });
    visNodes.update(nodeList.map(function (n) { return { id: n.id, x: n.x, y: n.y }; }));
    fitAll(true);
  }
  if (data.physicsToggle) {
    $("kg-physics-toggle").hidden = false;
    $("kg-physics").addEventListener("change", function () {
      if (this.checked) network.setOptions({ physics: { enabled: true } });
      else resetLayout();
    });
  }

  /* ------------------------------------------------------------ highlight */
  var dimmed = false, nearNow = {};
  function highlight(nodeIndex) {
    if (data.large) return;  // re-colouring tens of thousands of nodes costs seconds
    var near = {};
    near[nodeIndex] = true;
    incident[nodeIndex].forEach(function (k) {
      near[edgeList[k].from] = true; near[edgeList[k].to] = true;
    });
    nearNow = near;
    visNodes.update(nodeList.map(function (n, i) {
      return near[i] ? { id: n.id, color: colorFor(n.style), font: fontFor(n.style, n.tier) }
                     : { id: n.id, color: DIM_NODE, font: dimFont(n) };
    }));
    visEdges.update(edgeList.map(function (e, k) {
      var on = e.from === nodeIndex || e.to === nodeIndex;
      var c = edgeColor(e.kind);
      if (!on) c.opacity = 0.08;
      return { id: "e" + k, color: c };
    }));
    dimmed = true;
  }
  function unhighlight() {
    if (!dimmed) return;
    dimmed = false;
    nearNow = {};
    visNodes.update(nodeList.map(function (n) {
      return { id: n.id, color: colorFor(n.style), font: fontFor(n.style, n.tier) };
    }));
    visEdges.update(edgeList.map(function (e, k) { return { id: "e" + k, color: edgeColor(e.kind) }; }));
  }

  /* ------------------------------------------------------------ details panel */
  function safeLink(url) {
    // only http(s) addresses become links; anything else stays text
    var text = clean(url);
    if (!/^(?:http|https):\/\/\S+$/i.test(text)) return el("span", "kg-iri", text);
    var a = el("a", "kg-link", text);
    a.setAttribute("href", text);
    a.setAttribute("rel", "noopener noreferrer");
    a.setAttribute("target", "_blank");
    return a;
  }
  function quoteBlock(text, reported) {
    var q = el("blockquote", reported === "paraphrase" ? "kg-quote kg-paraphrase" : "kg-quote", text);
    if (reported === "paraphrase") q.title = "Paraphrase: the analyst's words, not a quotation";
    return q;
  }
  function addValue(parent, key, value, record) {
    var reported = record && record._reported;
    if (Array.isArray(value)) {
      if (value.length && typeof value[0] === "object") {
        value.forEach(function (item) {
          var card = el("div", "kg-card");
          var heading = item.Statement || item.Judgement || item.Source;
          if (heading) card.appendChild(el("h4", null, heading));
          addFields(card, item, ["Statement", "Judgement", "Source"]);
          parent.appendChild(card);
        });
        return;
      }
      if (key === "Quote") { value.forEach(function (q) { parent.appendChild(quoteBlock(q, reported)); }); return; }
      var ul = el("ul");
      value.forEach(function (item) {
        var li = el("li");
        li.appendChild(key === "Link" ? safeLink(item) : el("span", null, item));
        ul.appendChild(li);
      });
      parent.appendChild(ul);
      return;
    }
    if (key === "Quote") { parent.appendChild(quoteBlock(value, reported)); return; }
    if (key === "Link") { parent.appendChild(safeLink(value)); return; }
    parent.appendChild(el("span", key === "IRI" ? "kg-iri" : null, value));
  }
  function addFields(parent, record, skip) {
    var dl = el("dl");
    var kind = $("kg-details-kind").textContent.toLowerCase();
    Object.keys(record).forEach(function (key) {
      if (skip && skip.indexOf(key) >= 0) return;
      if (key.charAt(0) === "_") return;  // hints for the page, not fields
      // the panel's heading already says the kind
      if (key === "Type" && String(record[key]).toLowerCase() === kind) return;
      var field = el("div", "kg-field");
      field.setAttribute("data-field", key);
      var label = key;
      if (key === "Quote" && record._reported === "paraphrase") label = "Paraphrase";
      field.appendChild(el("dt", null, label));
      var dd = el("dd");
      addValue(dd, key, record[key], record);
      field.appendChild(dd);
      dl.appendChild(field);
    });
    parent.appendChild(dl);
  }
  function showDetails(kind, title, details) {
    $("kg-details-kind").textContent = clean(kind);
    $("kg-details-title").textContent = clean(title);
    $("kg-details-title").setAttribute("dir", "auto");
    var body = $("kg-details-body");
    while (body.firstChild) body.removeChild(body.firstChild);
    addFields(body, details);
    $("kg-details").hidden = false;
    $("kg-details").scrollTop = 0;
  }
  function hideDetails() { $("kg-details").hidden = true; }
  $("kg-details-close").addEventListener("click", clearSelection);

  function selectNode(id, focus) {
    var n = byId[id];
    if (!n) return;
    network.selectNodes([id]);
    highlight(n.index);
    var shown = n.details;
    if (n.approx && typeof shown.Date === "string") {  // say that the date is approximate
      shown = Object.assign({}, shown, { Date: shown.Date + " (approximate: " +
        (n.d[0][0].slice(0, 7) === n.d[0][1].slice(0, 7) ? "month" : "year") + " only)" });
    }
    showDetails(NODE_STYLES[n.style].label, n.label, shown);
    saveState();
    // Centre the node in the part of the canvas the details panel leaves free.
    if (focus) network.focus(id, { scale: Math.max(network.getScale(), 0.9),
                                   offset: { x: -$("kg-details").offsetWidth / 2, y: 0 },
                                   animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }
  function selectEdge(edgeId) {
    var e = edgeList[Number(String(edgeId).slice(1))];
    if (!e) return;
    unhighlight();
    var details = {};
    details.From = nodeList[e.from].label;
    details.To = nodeList[e.to].label;
    if (e.weight > 1) details.Count = String(e.weight);
    Object.keys(e.details).forEach(function (key) { details[key] = e.details[key]; });
    showDetails("Link: " + EDGE_STYLES[e.kind].label,
                nodeList[e.from].label + " → " + nodeList[e.to].label, details);
  }
  function clearSelection() {
    network.unselectAll();
    unhighlight();
    hideDetails();
    saveState();
  }
  network.on("click", function (params) {
    if (params.nodes.length) selectNode(params.nodes[0], false);
    else if (params.edges.length) selectEdge(params.edges[0]);
    else clearSelection();
  });

  /* ------------------------------------------------------------ tooltip */
  var tooltip = $("kg-tooltip");
  network.on("hoverNode", function (params) {
    var n = byId[params.node];
    while (tooltip.firstChild) tooltip.removeChild(tooltip.firstChild);
    tooltip.appendChild(el("span", "kg-tip-kind",
      NODE_STYLES[n.style].label + (n.date ? " · " + n.date : "")));
    tooltip.appendChild(el("span", null, n.label));
    tooltip.style.left = (params.pointer.DOM.x + 14) + "px";
    tooltip.style.top = (params.pointer.DOM.y + 14) + "px";
    tooltip.hidden = false;
  });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });

  /* ------------------------------------------------------------ search */
  var searchIndex = nodeList.map(function (n) {
    return [fold(n.label)].concat((n.alt || []).map(fold));
  });
  var input = $("kg-search"), results = $("kg-search-results"), note = $("kg-search-note");
  var current = [];
  function runSearch() {
    var q = fold(input.value.trim());
    while (results.firstChild) results.removeChild(results.firstChild);
    note.hidden = true;
    current = [];
    if (!q) { results.hidden = true; return; }
    var exact = [], prefix = [], partial = [];
    for (var i = 0; i < nodeList.length; i++) {
      var names = searchIndex[i], best = -1, which = 0;
      for (var j = 0; j < names.length; j++) {
        var at = names[j].indexOf(q);
        if (at < 0) continue;
        var rank = names[j] === q ? 0 : at === 0 || names[j].charAt(at - 1) === " " ? 1 : 2;
        if (best < 0 || rank < best) { best = rank; which = j; }
      }
      if (best === 0) exact.push([i, which]);
      else if (best === 1) prefix.push([i, which]);
      else if (best === 2) partial.push([i, which]);
    }
    current = exact.concat(prefix, partial).slice(0, 20);
    current.forEach(function (hit, k) {
      var n = nodeList[hit[0]];
      var li = el("li", hidden[hit[0]] ? "kg-hidden-node" : null, n.label);
      li.setAttribute("role", "option");
      li.setAttribute("data-id", n.id);
      var extra = NODE_STYLES[n.style].label;
      if (hit[1] > 0) extra += " · also “" + n.alt[hit[1] - 1] + "”";
      if (hidden[hit[0]]) extra += " · hidden by a filter";
      li.appendChild(el("span", "kg-match", extra));
      if (k === 0) li.className += " kg-active";
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(hit[0]); });
      results.appendChild(li);
    });
    results.hidden = !current.length;
    if (!current.length) { note.textContent = "No node is called that."; note.hidden = false; }
  }
  function choose(index) {
    results.hidden = true;
    if (hidden[index]) {
      note.textContent = "That node is hidden by a filter: press “Show everything”.";
      note.hidden = false;
      return;
    }
    input.value = clean(nodeList[index].label);
    selectNode(nodeList[index].id, true);
  }
  input.addEventListener("input", function () { runSearch(); saveState(); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && current.length) { ev.preventDefault(); choose(current[0][0]); }
    if (ev.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", function () {
    setTimeout(function () { if (document.activeElement !== input) results.hidden = true; }, 150);
  });

  if (!nodeList.length) {
    $("kg-hint").textContent = "Nothing to draw: this view is empty (a focus or date range " +
                               "that matches nothing?).";
  }
  /* ------------------------------------------------------------ camera */
  function zoomBy(factor) {
    network.moveTo({ scale: network.getScale() * factor,
                     animation: { duration: 200, easingFunction: "easeInOutQuad" } });
  }
  function present() {
    var on = !document.body.classList.contains("kg-presenting");
    document.body.classList.toggle("kg-presenting", on);
    $("kg-present").textContent = on ? "Leave presentation" : "Present";
    $("kg-present").setAttribute("aria-pressed", on ? "true" : "false");
    try {
      if (on && document.documentElement.requestFullscreen && !document.fullscreenElement) {
        document.documentElement.requestFullscreen().catch(function () {});
      } else if (!on && document.fullscreenElement && document.exitFullscreen) {
        document.exitFullscreen().catch(function () {});
      }
    } catch (err) { /* fullscreen refused: the presentation layout still applies */ }
    setTimeout(refit, 50);
  }
  function refit() {
    network.setSize("100%", "100%");  // the canvas follows its new box at once
    network.redraw();
    fitAll(true);
  }
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && document.body.classList.contains("kg-presenting")) present();
    else setTimeout(refit, 50);
  });
  $("kg-fit").addEventListener("click", function () { fitAll(true); });
  $("kg-zoom-in").addEventListener("click", function () { zoomBy(1.25); });
  $("kg-zoom-out").addEventListener("click", function () { zoomBy(0.8); });
  $("kg-relayout").addEventListener("click", resetLayout);
  $("kg-present").addEventListener("click", present);
  function pan(dx, dy) {  // by a share of the visible drawing
    var box = $("kg-network"), view = network.getViewPosition(), scale = network.getScale();
    network.moveTo({ position: { x: view.x + dx * box.clientWidth / scale,
                                 y: view.y + dy * box.clientHeight / scale },
                     animation: { duration: 150, easingFunction: "easeInOutQuad" } });
  }
  // Keys on the focused drawing (Tab to it, or click it): arrows move, + and - zoom,
  // f (or 0) fits, r resets the layout, p presents, Escape closes the details.
  var KEYS = {
    ArrowLeft: function () { pan(-0.15, 0); }, ArrowRight: function () { pan(0.15, 0); },
    ArrowUp: function () { pan(0, -0.15); }, ArrowDown: function () { pan(0, 0.15); },
    "+": function () { zoomBy(1.25); }, "=": function () { zoomBy(1.25); },
    "-": function () { zoomBy(0.8); }, f: function () { fitAll(true); },
    "0": function () { fitAll(true); }, r: resetLayout, p: present, Escape: clearSelection
  };
  $("kg-network").addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !KEYS[ev.key]) return;
    ev.preventDefault();
    KEYS[ev.key]();
  });
  network.on("click", function () { $("kg-network").focus({ preventScroll: true }); });

  /* ------------------------------------------------------------ label size */
  var labelSize = $("kg-label-size");
  function setLabelFactor(percent) {
    labelFactor = percent / 100;
    labelSize.value = String(percent);
    $("kg-label-size-value").textContent = percent + "%";
    refreshFonts();
  }
  labelSize.addEventListener("input", function () { setLabelFactor(Number(labelSize.value)); saveState(); });

  /* ------------------------------------------------------------ timeline */
  var timeSlider = null, months = [];
  function showTime() {
    if (!timeSlider) return;
    var k = Number(timeSlider.value);
    $("kg-time-value").textContent = k >= months.length - 1 ? "all dates" : months[k];
  }
  (function timeline() {
    var dated = nodeList.filter(function (n) { return n.d && n.dk; });
    if (!hasTimeline) return;
    var first = data.dateRange[0], last = data.dateRange[1];
    var y = Number(first.slice(0, 4)), m = Number(first.slice(5, 7));
    while (true) {
      var month = y + "-" + (m < 10 ? "0" : "") + m;
      months.push(month);
      if (month >= last.slice(0, 7) || months.length > 1200) break;
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
    function at(day) {  // 0..1 along the axis
      var t0 = Date.parse(first), t1 = Date.parse(last);
      return t1 > t0 ? (Date.parse(day) - t0) / (t1 - t0) : 0.5;
    }
    var marks = $("kg-timeline-marks");
    dated.forEach(function (n) {
      var span = n.d[0], mark = el("button", n.approx ? "kg-mark kg-approx" : "kg-mark");
      mark.type = "button";
      mark.style.left = (at(span[0]) * 100).toFixed(3) + "%";
      if (n.approx) mark.style.width = Math.max(0.4, (at(span[1]) - at(span[0])) * 100).toFixed(3) + "%";
      mark.setAttribute("data-id", n.id);
      mark.setAttribute("aria-label", clean(n.label) + " · " + n.date + (n.approx ? " (approximate)" : ""));
      mark.title = clean(n.label) + " · " + n.date + (n.approx ? " (approximate: " + span[0] + " to " + span[1] + ")" : "");
      mark.addEventListener("click", function () { if (!hidden[n.index]) selectNode(n.id, true); });
      marks.appendChild(mark);
    });
    timeSlider = $("kg-time");
    timeSlider.max = String(months.length - 1);
    timeSlider.value = timeSlider.max;
    timeSlider.addEventListener("input", function () {
      var k = Number(timeSlider.value);
      dateTo.value = k >= months.length - 1 ? "" : months[k] + "-31";
      if (dateTo.value) {  // the last day of that month
        var parts = months[k].split("-"), end = new Date(Date.UTC(+parts[0], +parts[1], 0));
        dateTo.value = end.toISOString().slice(0, 10);
      }
      showTime();
      applyFilters();
    });
    showTime();
    $("kg-timeline").hidden = false;
  })();

  /* ------------------------------------------------------------ static image */
  var SVG_NS = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = clean(text);
    return node;
  }
  function shapePath(shape, x, y, r) {
    var pts = [], i, k;
    if (shape === "square") return [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]];
    if (shape === "diamond") return [[x, y - r], [x + r, y], [x, y + r], [x - r, y]];
    if (shape === "triangle") return [[x, y - r], [x + r, y + r * 0.8], [x - r, y + r * 0.8]];
    if (shape === "triangleDown") return [[x, y + r], [x + r, y - r * 0.8], [x - r, y - r * 0.8]];
    if (shape === "hexagon") { for (i = 0; i < 6; i++) pts.push([x + r * Math.cos(Math.PI / 3 * i), y + r * Math.sin(Math.PI / 3 * i)]); return pts; }
    if (shape === "star") { for (i = 0; i < 10; i++) { k = i % 2 ? r * 0.45 : r; pts.push([x + k * Math.sin(Math.PI / 5 * i), y - k * Math.cos(Math.PI / 5 * i)]); } return pts; }
    return null;
  }
  function wrapWords(text) {  // greedy, 17 characters a line, as render.py's _wrap
    var lines = [];
    String(text).split(/\s+/).filter(Boolean).forEach(function (word) {
      if (lines.length && lines[lines.length - 1].length + 1 + word.length <= 17) lines[lines.length - 1] += " " + word;
      else lines.push(word);
    });
    return lines.length ? lines : [""];
  }
  function nodeShape(st, x, y, r) {  // a node (or legend glyph) in its vis-network shape
    var poly = shapePath(st.shape, x, y, r), attrs = { fill: st.color, stroke: st.border, "stroke-width": 1.5 };
    return poly ? svgEl("polygon", Object.assign({ points: poly.map(function (q) { return q[0].toFixed(1) + "," + q[1].toFixed(1); }).join(" ") }, attrs))
                : svgEl("circle", Object.assign({ cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1) }, attrs));
  }
  // The view as it is on screen (filters, selection dimming aside, camera): an SVG
  // document with the labels as text, built with DOM calls, so every text is escaped.
  function viewSvg() {
    var box = $("kg-network"), w = box.clientWidth, h = box.clientHeight, scale = network.getScale();
    var legendW = 300, svg = svgEl("svg", { xmlns: SVG_NS, width: w + legendW, height: h,
                                             viewBox: "0 0 " + (w + legendW) + " " + h,
                                             "font-family": "DejaVu Sans, Arial, sans-serif" });
    svg.appendChild(svgEl("rect", { x: 0, y: 0, width: w + legendW, height: h, fill: "#ffffff" }));
    svg.appendChild(svgEl("title", {}, document.title));
    var pos = network.getPositions(), edgesG = svgEl("g", { id: "links" }), nodesG = svgEl("g", { id: "nodes" });
    function dom(id) { var p = pos[id]; return network.canvasToDOM({ x: p.x, y: p.y }); }
    edgeList.forEach(function (e, k) {
      if (edgeHidden[k]) return;
      var a = dom(nodeList[e.from].id), b = dom(nodeList[e.to].id), st = EDGE_STYLES[e.kind];
      var line = svgEl("line", { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
                                 stroke: st.color, "stroke-opacity": st.opacity,
                                 "stroke-width": Math.max(0.5, e.width * scale).toFixed(2) });
      if (st.dashes) line.setAttribute("stroke-dasharray", "6 4");
      edgesG.appendChild(line);
    });
    nodeList.forEach(function (n) {
      if (hidden[n.index]) return;
      var p = dom(n.id), r = n.size * scale, st = NODE_STYLES[n.style];
      nodesG.appendChild(nodeShape(st, p.x, p.y, r));
      var px = labelPx(n.id);
      if (px > 0) {
        var text = svgEl("text", { x: p.x.toFixed(1), y: (p.y + r + px + 2).toFixed(1), "font-size": px.toFixed(1),
                                   "text-anchor": "middle", fill: st.font, stroke: "#ffffff",
                                   "stroke-width": 3, "paint-order": "stroke" });
        wrapWords(n.short).forEach(function (line, i) {  // as the canvas wraps it
          text.appendChild(svgEl("tspan", { x: p.x.toFixed(1), dy: i ? (px * 1.15).toFixed(1) : 0 }, line));
        });
        nodesG.appendChild(text);
      }
    });
    svg.appendChild(edgesG); svg.appendChild(nodesG);
    var legend = svgEl("g", { id: "legend" }), ly = 28;
    legend.appendChild(svgEl("rect", { x: w, y: 0, width: legendW, height: h, fill: "#f6f7f9" }));
    legend.appendChild(svgEl("text", { x: w + 14, y: ly, "font-size": 16, "font-weight": "bold" }, document.title));
    ly += 28;
    data.styleOrder.nodes.forEach(function (key) {
      var st = NODE_STYLES[key];
      legend.appendChild(nodeShape(st, w + 22, ly - 5, 7));
      legend.appendChild(svgEl("text", { x: w + 38, y: ly, "font-size": 14 }, st.label));
      ly += 22;
    });
    data.styleOrder.edges.forEach(function (key) {
      var st = EDGE_STYLES[key];
      var swatch = svgEl("line", { x1: w + 12, y1: ly - 5, x2: w + 32, y2: ly - 5, stroke: st.color, "stroke-width": 4 });
      if (st.dashes) swatch.setAttribute("stroke-dasharray", "6 4");
      legend.appendChild(swatch);
      legend.appendChild(svgEl("text", { x: w + 38, y: ly, "font-size": 14 }, st.label));
      ly += 22;
    });
    svg.appendChild(legend);
    return new XMLSerializer().serializeToString(svg);
  }
  function download(name, blob) {
    var a = document.createElement("a"), url = URL.createObjectURL(blob);
    a.setAttribute("href", url);
    a.setAttribute("download", name);
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  function fileStem() {
    return (clean(document.title).replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "kgraph");
  }
  $("kg-download-svg").addEventListener("click", function () {
    download(fileStem() + ".svg", new Blob([viewSvg()], { type: "image/svg+xml" }));
  });
  function viewPng(callback) {
    var text = viewSvg(), img = new Image();
    img.onload = function () {
      var c = document.createElement("canvas");
      c.width = img.naturalWidth; c.height = img.naturalHeight;
      c.getContext("2d").drawImage(img, 0, 0);
      c.toBlob(callback, "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }
  $("kg-download-png").addEventListener("click", function () {
    viewPng(function (blob) { download(fileStem() + ".png", blob); });
  });

  /* ------------------------------------------------------------ labels on screen */
  // The size a node's label is drawn at on screen, in CSS pixels (font × zoom,
  // capped by vis-network's maxVisible), or 0 when vis-network does not draw it.
  function labelPx(id) {
    var node = network.body.nodes[id];
    if (!node || hidden[byId[id].index]) return 0;
    var scale = network.getScale(), size = node.labelModule.fontOptions.size * scale;
    var opts = node.options.scaling.label;
    if (size < opts.drawThreshold - 1) return 0;
    return Math.min(size, opts.maxVisible);
  }

  /* ------------------------------------------------------------ state in the URL */
  // #sel=IRI&q=text&n=0,3&c=1&ak=2&from=…&to=…&undated=0&labels=150&cam=x,y,scale;
  // n, c and ak list the *unchecked* values, so an empty fragment is the whole graph.
  var restoring = true;
  function saveState() {
    if (restoring) return;
    var parts = [];
    function put(k, v) { parts.push(k + "=" + encodeURIComponent(v)); }
    var sel = network.getSelectedNodes();
    if (sel.length) put("sel", sel[0]);
    if (input.value.trim()) put("q", input.value.trim());
    Object.keys(checked).forEach(function (key) {
      var off = []; checked[key].forEach(function (on, i) { if (!on) off.push(i); });
      if (off.length) put(key, off.join(","));
    });
    if (dateFrom.value) put("from", dateFrom.value);
    if (dateTo.value) put("to", dateTo.value);
    if (!keepUndated.checked) put("undated", "0");
    if (labelFactor !== 1) put("labels", Math.round(labelFactor * 100));
    var v = network.getViewPosition();
    put("cam", [v.x.toFixed(1), v.y.toFixed(1), network.getScale().toFixed(4)].join(","));
    var hash = "#" + parts.join("&");
    try { history.replaceState(null, "", hash); } catch (err) { location.hash = hash; }
  }
  function readState() {
    var state = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      var at = part.indexOf("=");
      if (at > 0) state[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1));
    });
    return state;
  }
  function restoreState() {
    var state = readState();
    restoring = true;
    Object.keys(checked).forEach(function (key) {
      var off = (state[key] || "").split(",").filter(Boolean).map(Number);
      checked[key] = checked[key].map(function (_, i) { return off.indexOf(i) < 0; });
      var inputs = document.querySelectorAll('#kg-filter-' + key + ' input');
      Array.prototype.forEach.call(inputs, function (box, i) { box.checked = checked[key][i]; });
    });
    dateFrom.value = state.from || ""; dateTo.value = state.to || "";
    keepUndated.checked = state.undated !== "0";
    if (state.labels) setLabelFactor(Math.max(50, Math.min(250, Number(state.labels) || 100)));
    applyFilters();
    if (state.q) { input.value = state.q; runSearch(); results.hidden = true; }
    if (state.sel && byId[state.sel] && !hidden[byId[state.sel].index]) selectNode(state.sel, false);
    if (state.cam) {
      var c = state.cam.split(",").map(Number);
      if (c.length === 3 && c.every(isFinite) && c[2] > 0) {
        network.moveTo({ position: { x: c[0], y: c[1] }, scale: c[2], animation: false });
      }
    }
    restoring = false;
  }
  network.on("dragEnd", saveState);
  var saveTimer = null;  // zooming fires often: write the fragment once it settles
  network.on("zoom", function () { clearTimeout(saveTimer); saveTimer = setTimeout(saveState, 150); });
  network.on("animationFinished", saveState);
  window.addEventListener("hashchange", function () { if (!restoring) restoreState(); });

  window.kgraph = { network: network, nodes: visNodes, edges: visEdges, applyFilters: applyFilters,
                    labelPx: labelPx, viewSvg: viewSvg, viewPng: viewPng, fit: function () { fitAll(false); },
                    state: readState };
  if (data.focus && byId[data.focus] && !location.hash) {
    network.once("afterDrawing", function () { selectNode(data.focus, false); });
  }
})();
