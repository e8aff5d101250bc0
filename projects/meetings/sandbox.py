"""The sandbox a Word template is filled in.

A .docx uploaded in the administration is a program: docxtpl turns its text into a Jinja2
template. Every template, the office's and the default, is filled in Jinja2's
ImmutableSandboxedEnvironment with nothing but the document's own variables: no globals
(lipsum, cycler, joiner, namespace, range, dict), no `self`, no name with an underscore, a
short list of filters, and no call but to the template's own macros and a few plain methods.
What reaches Python objects is refused when the template is compiled, so an upload is refused
even if the branch using it is not taken with the sample; the sandbox refuses it again while
rendering.

The cost is bounded too: the file is checked before it is read (docx_file.py), and filling
stops past a number of loop turns and calls, a macro depth, and a size of text.
"""

import functools
from io import BytesIO

from jinja2 import StrictUndefined, nodes, pass_eval_context
from jinja2.compiler import CodeGenerator
from jinja2.filters import FILTERS
from jinja2.runtime import LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .docx_file import MB, opened

MAX_TEXT = 8 * MB  # what filling writes, in all, and any one text it makes
MAX_STEPS = 100_000  # loop turns and calls, and the items of any one list it makes
MAX_DEPTH = 20  # macros (and recursive loops) calling themselves
MAX_BITS = 4096  # an integer the template computes
# What filling writes and its loop turns, in all, grow with the document's own items: each
# dict or list entry of its variables adds this much (a row of the minutes' tables is about
# 2 KB of Word's XML), so that a large register's document is filled while what a template
# makes of it stays bounded by a fixed multiple of its data.
TEXT_PER_ITEM = 8 * 1024
STEPS_PER_ITEM = 20

GLOBALS_REFUSED = {"self", "lipsum", "cycler", "joiner", "namespace", "range", "dict"}
FILTERS_KEPT = [
    "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first",
    "float", "forceescape", "groupby", "int", "items", "join", "last", "length", "list",
    "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round",
    "select", "selectattr", "sort", "string", "striptags", "title", "trim",
    "truncate", "unique", "upper", "wordcount",
]  # fmt: skip
METHODS_KEPT = {
    str: {"lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith", "title"},
    dict: {"items", "keys", "values", "get"},
    LoopContext: {"cycle", "changed"},
}
# Statements that load other templates (there are none) or turn escaping off.
STATEMENTS_REFUSED = (
    nodes.Extends,
    nodes.Include,
    nodes.Import,
    nodes.FromImport,
    nodes.EvalContextModifier,
)


class Forbidden(SecurityError):
    """The template uses a name, filter, method or statement the sandbox does not give."""

    def __init__(self, name):
        super().__init__(f"{name!r} is not available to a document template")
        self.name = name if len(name) <= 40 else f"{name[:40]}…"


class LimitExceeded(SecurityError):
    """Filling the template went past a loop, call, depth or size limit."""


class Generator(CodeGenerator):
    """Refuses what reaches Python objects when the template is compiled; counts loop turns
    and bounds the text `~` makes."""

    def visit_Template(self, node, frame=None):
        refuse(node)
        self.loop_iterables = {id(loop.iter) for loop in node.find_all(nodes.For)}
        super().visit_Template(node, frame)

    def visit(self, node, *args, **kwargs):
        # The iterable of a {% for %}: each turn counts against the template's steps.
        if id(node) in getattr(self, "loop_iterables", ()):
            self.write("environment.counted(")
            super().visit(node, *args, **kwargs)
            self.write(")")
        else:
            super().visit(node, *args, **kwargs)

    def visit_Concat(self, node, frame):
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")

    # Every piece of text written, at the top or into a macro's or a block's buffer.
    def _output_const_repr(self, group):
        return f"environment.written({super()._output_const_repr(group)})"

    def _output_child_pre(self, node, frame, finalize):
        self.write("environment.written(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize):
        super()._output_child_post(node, frame, finalize)
        self.write(")")


def _statement(node):
    return isinstance(node, STATEMENTS_REFUSED) and type(node).__name__.lower()


def _global(node):
    return isinstance(node, nodes.Name) and node.name in GLOBALS_REFUSED and node.name


def _private(node):
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return node.attr
    return (
        isinstance(node, nodes.Const)
        and isinstance(node.value, str)
        and ("__" in node.value and node.value)
    )


def _filter(node):
    return isinstance(node, nodes.Filter) and node.name not in FILTERS_KEPT and node.name


def _method(node):
    method = isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node
    if method and not any(method.attr in names for names in METHODS_KEPT.values()):
        return method.attr
    return None


def refuse(template):
    """Raise Forbidden for the first thing the template reaches outside the document's own
    variables, the most telling first (a global before the method called on it)."""
    children = list(template.find_all(nodes.Node))
    for rule in (_statement, _global, _private, _filter, _method):
        for child in children:
            if name := rule(child):
                raise Forbidden(name)


class DocumentEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox of one document: made for each rendering, so its counts start at zero."""

    code_generator_class = Generator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options):
        super().__init__(undefined=StrictUndefined, autoescape=True, **options)
        self.globals.clear()
        self.filters = {name: self.bounding(FILTERS[name]) for name in FILTERS_KEPT}
        self.filters["join"] = self.bounding(join)
        self.filters["replace"] = self.bounding(replace)
        self.steps = self.depth = self.length = 0
        self.max_steps, self.max_text = MAX_STEPS, MAX_TEXT

    def allow(self, items):
        """Raise the limits in all by what `items` entries of the document's data need."""
        self.max_steps = MAX_STEPS + STEPS_PER_ITEM * items
        self.max_text = MAX_TEXT + TEXT_PER_ITEM * items

    def step(self):
        self.steps += 1
        if self.steps > self.max_steps:
            raise LimitExceeded(f"more than {self.max_steps} loop turns and calls")

    def counted(self, iterable):
        for item in iterable:
            self.step()
            yield item

    def bounded(self, value):
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise LimitExceeded(f"a text longer than {MAX_TEXT}")
        if isinstance(value, list | tuple | dict) and len(value) > MAX_STEPS:
            raise LimitExceeded(f"a list longer than {MAX_STEPS}")
        return value

    def written(self, piece):
        self.length += len(piece)
        if self.length > self.max_text:
            raise LimitExceeded(f"more than {self.max_text} characters written")
        return piece

    def bounding(self, function):
        @functools.wraps(function)
        def bounded(*args, **kwargs):
            return self.bounded(function(*args, **kwargs))

        return bounded

    def call_binop(self, context, operator, left, right):
        if operator == "%" and isinstance(left, str):
            raise Forbidden("%")
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(times, int):
                    limit = MAX_TEXT if isinstance(sequence, str) else MAX_STEPS
                    if len(sequence) * times > limit:
                        raise LimitExceeded(f"a value longer than {limit}")
        if (operator in ("*", "**")) and isinstance(left, int) and isinstance(right, int):
            bits = left.bit_length() * right if operator == "**" else right.bit_length()
            if abs(left) > 1 and left.bit_length() + max(bits, 0) > MAX_BITS:
                raise LimitExceeded(f"an integer over {MAX_BITS} bits")
        return self.bounded(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (as Jinja2 names them)
        __self.step()
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", type(__obj).__name__)
        if isinstance(__obj, Undefined):  # says which name is missing
            return super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, LoopContext):
            args = tuple(__self.counted(arg) for arg in args[:1]) + args[1:]
        elif not isinstance(__obj, Macro) and not any(
            isinstance(owner, kind) and name in names for kind, names in METHODS_KEPT.items()
        ):
            raise Forbidden(name)
        __self.depth += 1
        try:
            if __self.depth > MAX_DEPTH:
                raise LimitExceeded(f"macros nested more than {MAX_DEPTH} deep")
            return __self.bounded(super().call(__context, __obj, *args, **kwargs))
        finally:
            __self.depth -= 1


def _sized(value):
    return len(value) if isinstance(value, str) else len(str(value))


@pass_eval_context
def join(eval_ctx, value, d="", attribute=None):
    """The join filter, refused before it builds a text past MAX_TEXT."""
    items = list(value)
    if len(str(d)) * len(items) + sum(_sized(item) for item in items) > MAX_TEXT:
        raise LimitExceeded(f"a join longer than {MAX_TEXT}")
    return FILTERS["join"](eval_ctx, items, d, attribute)


@pass_eval_context
def replace(eval_ctx, s, old, new, count=None):
    """The replace filter, refused before it builds a text past MAX_TEXT."""
    text, old, new = str(s), str(old), str(new)
    times = text.count(old) if old else len(text) + 1
    if len(text) + times * len(new) > MAX_TEXT:
        raise LimitExceeded(f"a replace longer than {MAX_TEXT}")
    return FILTERS["replace"](eval_ctx, s, old, new, count)


class CheckingEnvironment(DocumentEnvironment):
    """Compiles what it parses, so that what a template uses is refused without filling it."""

    def parse(self, source, name=None, filename=None):
        self.compile(source, name, filename)
        return super().parse(source, name, filename)


def check(data):
    """Refuse the template in `data` as filling it would, as far as that can be known without
    the variables: for a template uploaded before there is a meeting to try it on."""
    opened(data).get_undeclared_template_variables(CheckingEnvironment())


def items(value):
    """The entries of the dicts and lists in `value`, however deep."""
    if isinstance(value, dict):
        return len(value) + sum(items(entry) for entry in value.values())
    if isinstance(value, list | tuple):
        return len(value) + sum(items(entry) for entry in value)
    return 0


def fill(data, context, finalize):
    """The .docx in `data` filled with `context` in the sandbox, as bytes."""
    template = opened(data)
    environment = DocumentEnvironment(finalize=finalize)
    environment.allow(items(context))
    template.render(context, environment, autoescape=True)
    buffer = BytesIO()
    template.save(buffer)
    return buffer.getvalue()
