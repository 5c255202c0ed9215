"""The mutation check's mutants (scripts/bench/mutation.py): a fixed-order walk of a module's
syntax tree that numbers each point where a comparison, an operator, a constant, a return or a
condition could be turned, and applies one of them."""
from __future__ import annotations

import ast


_CMP_SWAP = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
             ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BIN_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.Div: ast.Mult,
             ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv, ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr}
_LOG_NAMES = {"log", "logger", "logging", "_log", "LOG"}


def _is_log_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    while isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id in _LOG_NAMES:
            return True
        if func.attr == "logger":
            return True
        func = func.value
    return False


class _Mutator(ast.NodeTransformer):
    """Walks the tree in a fixed order; numbers each mutation point; applies only `target`."""

    def __init__(self, target: int | None, skip_lines: set[int]):
        self.target, self.skip_lines, self.count, self.points = target, skip_lines, 0, []

    def _point(self, node: ast.AST, what: str) -> bool:
        line = getattr(node, "lineno", 0)
        if line in self.skip_lines:
            return False
        index = self.count
        self.count += 1
        if self.target is None:
            self.points.append({"id": index, "line": line, "what": what})
        return index == self.target

    # Skipped subtrees: docstrings, annotations, log calls.
    def visit_Expr(self, node):
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node
        if _is_log_call(node.value):
            return node
        if isinstance(node.value, ast.Call) and self._point(node, "drop call statement"):
            return ast.copy_location(ast.Pass(), node)
        return self.generic_visit(node)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_arg(self, node):
        return node

    def visit_FunctionDef(self, node):
        node.returns = node.returns  # annotations untouched
        node.args = self._visit_defaults(node.args)
        node.body = [self.visit(stmt) for stmt in node.body]
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def _visit_defaults(self, args):
        args.defaults = [self.visit(d) for d in args.defaults]
        args.kw_defaults = [self.visit(d) if d is not None else None for d in args.kw_defaults]
        return args

    def visit_Call(self, node):
        if _is_log_call(node):
            return node
        return self.generic_visit(node)

    def visit_Compare(self, node):
        self.generic_visit(node)
        for i, op in enumerate(node.ops):
            swap = _CMP_SWAP.get(type(op))
            if swap and self._point(node, f"{type(op).__name__} -> {swap.__name__}"):
                node.ops[i] = swap()
        for i, comp in enumerate([node.left, *node.comparators]):
            if isinstance(comp, ast.Constant) and isinstance(comp.value, str):
                if self._point(comp, f"string {comp.value!r} -> {comp.value + 'X'!r}"):
                    comp.value = comp.value + "X"
        return node

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        if self._point(node, f"{type(node.op).__name__} -> {other.__name__}"):
            node.op = other()
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and self._point(node, "drop not"):
            return node.operand
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        swap = _BIN_SWAP.get(type(node.op))
        if swap and self._point(node, f"{type(node.op).__name__} -> {swap.__name__}"):
            node.op = swap()
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        swap = _BIN_SWAP.get(type(node.op))
        if swap and self._point(node, f"{type(node.op).__name__}= -> {swap.__name__}="):
            node.op = swap()
        return node

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool):
            if self._point(node, f"{value} -> {not value}"):
                return ast.copy_location(ast.Constant(not value), node)
        elif isinstance(value, int):
            if self._point(node, f"{value} -> {value + 1}"):
                return ast.copy_location(ast.Constant(value + 1), node)
        return node

    def visit_Return(self, node):
        self.generic_visit(node)
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            if self._point(node, "return value -> None"):
                node.value = None
        return node

    def visit_If(self, node):
        self.generic_visit(node)
        if self._point(node, "if condition -> not condition"):
            node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
        return node


def _skip_lines(source: str) -> set[int]:
    return {n for n, line in enumerate(source.splitlines(), 1) if line.rstrip().endswith("# pragma: no mutate")}


def mutants(source: str) -> list[dict]:
    m = _Mutator(None, _skip_lines(source))
    m.visit(ast.parse(source))
    return m.points


def mutate(source: str, target: int) -> str:
    tree = _Mutator(target, _skip_lines(source)).visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree))
