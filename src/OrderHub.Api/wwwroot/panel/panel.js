// Progressive enhancement under the CSP (script-src 'self'): without this script every provider's fields show and
// the server ignores those of the provider not chosen; with it, only the chosen provider's fieldset is visible.
(function () {
    'use strict';
    function sync(select) {
        var form = select.form;
        if (!form) { return; }
        form.querySelectorAll('fieldset[data-provider]').forEach(function (fieldset) {
            fieldset.hidden = fieldset.getAttribute('data-provider') !== select.value;
        });
    }
    document.addEventListener('DOMContentLoaded', function () {
        document.querySelectorAll('select[data-provider-select]').forEach(function (select) {
            sync(select);
            select.addEventListener('change', function () { sync(select); });
        });
    });
}());
