/* Amounts in won, formatted as they are typed: "1234000" shows as
   "1,234,000". The server reads the digits (common/money.py), so a
   separator never reaches the database. Only inputs marked data-money are
   touched; anything that is not digits and separators is left exactly as
   typed, for the server to explain. A static file: no inline script. */
(function () {
    "use strict";

    var PLAIN = /^[\d,\s]*$/;

    function group(digits) {
        return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    }

    function format(input) {
        var value = input.value;
        if (!PLAIN.test(value)) {
            return;
        }
        var caret = input.selectionStart === null ? value.length : input.selectionStart;
        // Digits left of the caret stay left of it after regrouping.
        var digitsBefore = value.slice(0, caret).replace(/\D/g, "").length;
        var digits = value.replace(/\D/g, "").replace(/^0+(?=\d)/, "");
        var formatted = group(digits);
        if (formatted === value) {
            return;
        }
        input.value = formatted;
        var position = 0;
        var seen = 0;
        while (position < formatted.length && seen < digitsBefore) {
            if (/\d/.test(formatted.charAt(position))) {
                seen += 1;
            }
            position += 1;
        }
        if (document.activeElement === input && input.setSelectionRange) {
            input.setSelectionRange(position, position);
        }
    }

    function isMoney(element) {
        return element && element.matches && element.matches("input[data-money]");
    }

    document.addEventListener("input", function (event) {
        if (isMoney(event.target)) {
            format(event.target);
        }
    });

    function formatAll(root) {
        (root || document).querySelectorAll("input[data-money]").forEach(format);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", function () { formatAll(); });
    } else {
        formatAll();
    }
    // Rows the admin adds later (a new budget line) are formatted on input.
    window.sangsaengMoneyInput = { format: format, formatAll: formatAll };
})();
