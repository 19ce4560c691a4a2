// Council search: turns the plain search field and council selects into accessible
// autocompletes. Without JavaScript the same forms work as ordinary GET forms.
(function () {
  'use strict'
  if (!window.accessibleAutocomplete) return

  function escapeHtml (text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]
    })
  }

  function enhanceSearch (wrapper) {
    var input = wrapper.querySelector('input')
    if (!input) return
    var source = wrapper.getAttribute('data-source')
    var initial = input.value
    var describedBy = input.getAttribute('aria-describedby')
    var latestQuery = 0
    wrapper.removeChild(input)
    window.accessibleAutocomplete({
      element: wrapper,
      id: 'council-search',
      name: 'q',
      defaultValue: initial,
      minLength: 2,
      showNoOptionsFound: true,
      confirmOnBlur: false,
      source: function (query, populate) {
        // Each keystroke asks again and answers can arrive out of order: only the answer to the
        // latest query is shown, so a late answer never replaces the list (or the option chosen
        // with the arrow keys) of the query the person typed last.
        var asked = ++latestQuery
        function answer (results) {
          if (asked !== latestQuery) return
          populate(results)
          wrapper.setAttribute('data-answered', query)
        }
        fetch(source + '?q=' + encodeURIComponent(query), { headers: { Accept: 'application/json' } })
          .then(function (response) { return response.ok ? response.json() : { results: [] } })
          .then(function (data) { answer(data.results) })
          .catch(function () { answer([]) })
      },
      templates: {
        inputValue: function (result) { return result ? result.name : '' },
        suggestion: function (result) { return result ? escapeHtml(result.label) : '' }
      },
      onConfirm: function (result) {
        if (result && result.url) window.location.assign(result.url)
      }
    })
    var created = wrapper.querySelector('input')
    if (created && describedBy) {
      var current = created.getAttribute('aria-describedby')
      created.setAttribute('aria-describedby', (current ? current + ' ' : '') + describedBy)
    }
  }

  document.querySelectorAll('[data-council-search]').forEach(enhanceSearch)
  document.querySelectorAll('select[data-council-select]').forEach(function (select) {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: '',
      showAllValues: false,
      confirmOnBlur: true,
      dropdownArrow: function () { return '' }
    })
  })
})()
