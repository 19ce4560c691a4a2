// Shared map helpers: a Leaflet map over the bundled council boundaries (no tile server),
// and safe DOM building for pop-ups (text only, never HTML strings from data).
(function () {
  'use strict'
  var ENGLAND = [[49.8, -6.5], [55.9, 2.0]]
  var boundaryCache = {}

  function element (tag, attributes, children) {
    var node = document.createElement(tag)
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]) })
    ;(children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
    })
    return node
  }

  // Leaflet puts a string tooltip in as HTML: data goes in as a text node inside a span.
  function label (text) {
    return element('span', {}, [String(text)])
  }

  function link (href, text) {
    return element('a', { href: href, class: 'govuk-link' }, [text])
  }

  function loadBoundaries (url) {
    if (!boundaryCache[url]) {
      boundaryCache[url] = fetch(url, { headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : null })
        .catch(function () { return null })
    }
    return boundaryCache[url]
  }

  // Work on many items split into tasks of a few milliseconds each (at least one item a task),
  // so that a phone's browser is never blocked for long and answers a tap or scroll in between.
  var SLICE_MS = 8

  function inSlices (items, work, done) {
    var next = 0
    function slice () {
      var until = window.performance.now() + SLICE_MS
      do { work(items[next], next); next++ } while (next < items.length && window.performance.now() < until)
      if (next < items.length) setTimeout(slice, 0)
      else if (done) done()
    }
    if (items.length) slice()
    else if (done) done()
  }

  // The boundaries come as TopoJSON (a border shared by two councils stored once); each council
  // is turned back into a GeoJSON feature a few at a time. SVG shapes are added as they come
  // (each is an element to lay out); a canvas gets them all at once, so it is painted once.
  function drawBoundaries (layer, data, onCanvas) {
    var topology = data.type === 'Topology'
    var councils = topology ? data.objects[Object.keys(data.objects)[0]].geometries : data.features
    var features = []
    inSlices(councils, function (item) {
      var feature = topology ? window.topojson.feature(data, item) : item
      if (onCanvas) features.push(feature)
      else layer.addData(feature)
    }, function () {
      if (onCanvas) layer.addData({ type: 'FeatureCollection', features: features })
    })
  }

  // A canvas takes the boundaries' colours from the stylesheet's .app-map__boundary, as SVG does.
  function boundaryStyle (container, onCanvas) {
    if (!onCanvas) return { className: 'app-map__boundary', weight: 1 }
    var probe = container.appendChild(element('span', { class: 'app-map__boundary', hidden: '' }))
    var css = window.getComputedStyle(probe)
    var style = {
      color: css.stroke,
      weight: parseFloat(css.strokeWidth) || 1,
      fillColor: css.fill,
      fillOpacity: parseFloat(css.fillOpacity),
      renderer: window.L.canvas({ pane: 'boundaries' })
    }
    probe.remove()
    return style
  }

  // options.boundariesOnCanvas: the boundaries are painted on one canvas instead of one SVG
  // path each, which spares a phone's browser laying out hundreds of shapes (the national map).
  function createMap (container, options) {
    var fallback = container.querySelector('.app-map__fallback')
    if (fallback) fallback.remove()
    var map = window.L.map(container, {
      preferCanvas: false,
      zoomSnap: 0.25,
      attributionControl: true,
      keyboard: true
    })
    map.fitBounds(ENGLAND)
    map.attributionControl.setPrefix(false)
    map.attributionControl.addAttribution('Boundaries: ONS, OGL v3; contains OS data © Crown copyright')
    var tiles = container.getAttribute('data-tiles')
    if (tiles) {
      window.L.tileLayer(tiles, { attribution: container.getAttribute('data-tiles-attribution') || '' }).addTo(map)
    }
    var boundaries = container.getAttribute('data-boundaries')
    if (boundaries) {
      // Boundaries go in a pane under the markers' and are drawn a few at a time.
      map.createPane('boundaries').style.zIndex = 350
      var onCanvas = Boolean(options && options.boundariesOnCanvas)
      var style = boundaryStyle(container, onCanvas)
      loadBoundaries(boundaries).then(function (data) {
        if (!data) return
        var layer = window.L.geoJSON(null, {
          pane: 'boundaries',
          style: function () { return style },
          interactive: false
        }).addTo(map)
        drawBoundaries(layer, data, onCanvas)
      })
    }
    return map
  }

  window.MatchmakerMaps = { createMap: createMap, element: element, label: label, link: link, inSlices: inSlices }
})()
