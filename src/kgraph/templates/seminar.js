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

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
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

  function fontFor(style) {
    // a white halo keeps labels readable where links cross them
    return { color: NODE_STYLES[style].font, size: data.fontSize, strokeWidth: 5,
             strokeColor: "#ffffff", face: "DejaVu Sans, Segoe UI, Arial, sans-serif" };
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
    return { id: n.id, label: n.short, x: n.x, y: n.y, size: n.size, shape: s.shape,
             color: colorFor(n.style), font: fontFor(n.style),
             borderWidth: n.id === data.focus ? 5 : 2,
             widthConstraint: data.large ? undefined : { maximum: 230 } };
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
                   keyboard: false }
  };
  var network = new vis.Network($("kg-network"),
                                { nodes: visNodes, edges: visEdges }, options);
  // fit() frames the nodes, not their labels: leave a margin so edge labels show.
  network.fit({ animation: false });
  network.moveTo({ scale: network.getScale() * 0.9 });
  network.once("afterDrawing", function () {
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
  var dateFrom = $("kg-date-from"), dateTo = $("kg-date-to");
  if (data.dateRange) {
    $("kg-filter-dates").hidden = false;
    [dateFrom, dateTo].forEach(function (input) {
      input.min = data.dateRange[0]; input.max = data.dateRange[1];
      input.addEventListener("change", applyFilters);
    });
  }

  function facetPasses(key, values) {
    // A node or link without values for a facet is not about it: the facet keeps it.
    if (!checked[key] || !values || !values.length) return true;
    for (var i = 0; i < values.length; i++) if (checked[key][values[i]]) return true;
    return false;
  }
  function datePasses(ranges) {
    var from = dateFrom.value, to = dateTo.value;
    if ((!from && !to) || !ranges || !ranges.length) return true;
    for (var i = 0; i < ranges.length; i++) {
      if ((!to || ranges[i][0] <= to) && (!from || ranges[i][1] >= from)) return true;
    }
    return false;
  }
  function ownPasses(item) {
    return facetPasses("n", item.n) && facetPasses("c", item.c) &&
           facetPasses("ak", item.ak === undefined ? null : [item.ak]) && datePasses(item.d);
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
  }
  function showCounts(shownNodes, shownEdges) {
    var text = nodeList.length + " nodes · " + edgeList.length + " links";
    if (shownNodes !== nodeList.length || shownEdges !== edgeList.length) {
      text = "showing " + shownNodes + " of " + nodeList.length + " nodes · " +
             shownEdges + " of " + edgeList.length + " links";
    }
    $("kg-counts").textContent = text;
  }
  $("kg-reset").addEventListener("click", function () {
    Array.prototype.forEach.call(document.querySelectorAll("#kg-filter-groups input"),
      function (input) { input.checked = true; });
    Object.keys(checked).forEach(function (key) {
      checked[key] = checked[key].map(function () { return true; });
    });
    dateFrom.value = ""; dateTo.value = "";
    applyFilters();
  });
  if (data.physicsToggle) {
    $("kg-physics-toggle").hidden = false;
    $("kg-physics").addEventListener("change", function () {
      network.setOptions({ physics: { enabled: this.checked } });
    });
  }

  /* ------------------------------------------------------------ highlight */
  var dimmed = false;
  function highlight(nodeIndex) {
    if (data.large) return;  // re-colouring tens of thousands of nodes costs seconds
    var near = {};
    near[nodeIndex] = true;
    incident[nodeIndex].forEach(function (k) {
      near[edgeList[k].from] = true; near[edgeList[k].to] = true;
    });
    visNodes.update(nodeList.map(function (n, i) {
      return near[i] ? { id: n.id, color: colorFor(n.style), font: fontFor(n.style) }
                     : { id: n.id, color: DIM_NODE, font: { color: DIM_FONT } };
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
    visNodes.update(nodeList.map(function (n) {
      return { id: n.id, color: colorFor(n.style), font: fontFor(n.style) };
    }));
    visEdges.update(edgeList.map(function (e, k) { return { id: "e" + k, color: edgeColor(e.kind) }; }));
    dimmed = false;
  }

  /* ------------------------------------------------------------ details panel */
  function addValue(parent, key, value) {
    if (Array.isArray(value)) {
      if (value.length && typeof value[0] === "object") {
        value.forEach(function (record) {
          var card = el("div", "kg-card");
          var heading = record.Statement || record.Judgement;
          if (heading) card.appendChild(el("h4", null, heading));
          addFields(card, record, ["Statement", "Judgement"]);
          parent.appendChild(card);
        });
        return;
      }
      if (key === "Quote") { value.forEach(function (q) { parent.appendChild(el("blockquote", "kg-quote", q)); }); return; }
      var ul = el("ul");
      value.forEach(function (item) { ul.appendChild(el("li", null, item)); });
      parent.appendChild(ul);
      return;
    }
    if (key === "Quote") { parent.appendChild(el("blockquote", "kg-quote", value)); return; }
    parent.appendChild(el("span", key === "IRI" ? "kg-iri" : null, value));
  }
  function addFields(parent, record, skip) {
    var dl = el("dl");
    var kind = $("kg-details-kind").textContent.toLowerCase();
    Object.keys(record).forEach(function (key) {
      if (skip && skip.indexOf(key) >= 0) return;
      // the panel's heading already says the kind
      if (key === "Type" && String(record[key]).toLowerCase() === kind) return;
      var field = el("div", "kg-field");
      field.setAttribute("data-field", key);
      field.appendChild(el("dt", null, key));
      var dd = el("dd");
      addValue(dd, key, record[key]);
      field.appendChild(dd);
      dl.appendChild(field);
    });
    parent.appendChild(dl);
  }
  function showDetails(kind, title, details) {
    $("kg-details-kind").textContent = kind;
    $("kg-details-title").textContent = title;
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
    showDetails(NODE_STYLES[n.style].label, n.label, n.details);
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
    input.value = nodeList[index].label;
    selectNode(nodeList[index].id, true);
  }
  input.addEventListener("input", runSearch);
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
  window.kgraph = { network: network, nodes: visNodes, edges: visEdges, applyFilters: applyFilters };
  if (data.focus && byId[data.focus]) {
    network.once("afterDrawing", function () { selectNode(data.focus, false); });
  }
})();
