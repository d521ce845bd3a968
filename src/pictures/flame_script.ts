// The flame graph's behaviour in the browser, inlined into every SVG and report: hover shows a
// frame's count and share in the details line (each frame also has a <title> tooltip), a click
// zooms to a frame (its ancestors stay, dimmed, at full width), "Reset zoom" zooms out,
// "Search" (or Ctrl-F / "/" in a standalone SVG) highlights frames matching a regular
// expression and shows the share of samples they cover; Escape clears the search.
// Plain ES2015 so any browser runs it; it reads only the attributes flamegraph.ts writes.

export const FLAME_SCRIPT = String.raw`
function bpfscopeFlame(svg) {
  var total = Number(svg.getAttribute('data-total'));
  var width = Number(svg.getAttribute('data-width'));
  var pad = Number(svg.getAttribute('data-pad'));
  var details = svg.querySelector('.details');
  var reset = svg.querySelector('.reset');
  var searchButton = svg.querySelector('.search');
  var matched = svg.querySelector('.matched');
  var frames = Array.prototype.map.call(svg.querySelectorAll('g.frame'), function (g) {
    var rect = g.querySelector('rect');
    return {
      g: g, rect: rect, text: g.querySelector('text'), title: g.querySelector('title').textContent,
      name: g.getAttribute('data-name'), value: Number(g.getAttribute('data-value')),
      start: Number(g.getAttribute('data-start')), depth: Number(g.getAttribute('data-depth')),
      fill: rect.getAttribute('fill')
    };
  });
  var zoomed = null;
  var pattern = null;

  function label(name, w) {
    var fits = Math.floor((w - 6) / 7);
    if (fits < 3) return '';
    return name.length <= fits ? name : name.slice(0, fits - 2) + '..';
  }

  function layout() {
    var zs = zoomed ? zoomed.start : 0;
    var zv = zoomed ? zoomed.value : total;
    var zd = zoomed ? zoomed.depth : 0;
    frames.forEach(function (f) {
      var inside = f.depth >= zd && f.start >= zs && f.start + f.value <= zs + zv;
      var ancestor = f.depth < zd && f.start <= zs && f.start + f.value >= zs + zv;
      if (!inside && !ancestor) { f.g.style.display = 'none'; return; }
      f.g.style.display = '';
      var x = ancestor ? pad : pad + (f.start - zs) / zv * width;
      var w = ancestor ? width : f.value / zv * width;
      f.rect.setAttribute('x', x.toFixed(2));
      f.rect.setAttribute('width', Math.max(w - 0.5, 0.1).toFixed(2));
      f.text.setAttribute('x', (x + 3).toFixed(2));
      f.text.textContent = label(f.name, w);
      f.g.setAttribute('opacity', ancestor ? '0.6' : '1');
    });
    reset.style.visibility = zoomed ? 'visible' : 'hidden';
  }

  function highlight() {
    var spans = [];
    frames.forEach(function (f) {
      var hit = pattern !== null && pattern.test(f.name);
      f.rect.setAttribute('fill', hit ? '#d040d0' : f.fill);
      if (hit) spans.push([f.start, f.start + f.value]);
    });
    if (pattern === null) { matched.textContent = ''; return; }
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var covered = 0, end = -1;
    spans.forEach(function (s) {
      if (s[0] >= end) { covered += s[1] - s[0]; end = s[1]; }
      else if (s[1] > end) { covered += s[1] - end; end = s[1]; }
    });
    matched.textContent = 'Matched: ' + (total > 0 ? (covered / total * 100).toFixed(2) : '0.00') + '%';
  }

  function search() {
    var term = window.prompt('Search frames (regular expression)', pattern ? pattern.source : '');
    if (term === null) return;
    if (term === '') { pattern = null; highlight(); return; }
    try { pattern = new RegExp(term); }
    catch (e) { matched.textContent = 'Not a regular expression: ' + term; return; }
    highlight();
  }

  frames.forEach(function (f) {
    f.g.addEventListener('mouseover', function () { details.textContent = f.title; });
    f.g.addEventListener('mouseout', function () { details.textContent = ' '; });
    f.g.addEventListener('click', function () {
      zoomed = f.depth === 0 ? null : f;
      layout();
    });
  });
  reset.addEventListener('click', function () { zoomed = null; layout(); });
  searchButton.addEventListener('click', search);
  if (svg === document.documentElement) {
    document.addEventListener('keydown', function (e) {
      if ((e.ctrlKey && e.key === 'f') || e.key === '/') { e.preventDefault(); search(); }
      else if (e.key === 'Escape') { pattern = null; highlight(); }
    });
  }
  svg.bpfscopeFlame = {
    zoom: function (name) {
      zoomed = frames.filter(function (f) { return f.name === name; })[0] || null;
      layout();
    },
    search: function (term) { pattern = term ? new RegExp(term) : null; highlight(); }
  };
  layout();
}
`;
