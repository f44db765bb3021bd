"""WTForms' ``html_params`` without ``string.Formatter``: the same attributes, faster.

Every widget WTForms renders (an input, a select and each of its options) writes its
attributes with ``wtforms.widgets.core.html_params``, which builds every attribute through
``Markup.format``, that is through ``string.Formatter``: on the load bench's mix (incident
form, list and map filters: about 58 attributes a page) 5 % of the app's instructions
(callgrind, ``bench/mix.py``; issue 16). This function gives the
same string for the same arguments (``tests/test_html_attributes.py`` compares the two) with
an f-string over the escaped value; ``install`` makes WTForms' widgets use it.
"""

from markupsafe import Markup, escape
from wtforms.widgets import core

_wtforms_html_params = core.html_params


def html_params(**kwargs: object) -> Markup:
    """``key="value"`` pairs sorted by key; ``True`` gives the bare key, ``False`` nothing;
    a trailing ``_`` is dropped (``class_``) and ``data_``/``aria_`` keys get hyphens."""
    params = []
    for key, value in sorted(kwargs.items()):
        name = escape(core.clean_key(key))
        if value is True:
            params.append(name)
        elif value is not False:
            # escape() leaves Markup as it is; a quote in Markup must not end the attribute
            params.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


def install() -> None:
    """Let WTForms' widgets, which look the function up in their module, use ours."""
    core.html_params = html_params
