"""Schemathesis hooks for bench/fuzz.sh: strategies for our custom scalars.

`JSON` (importJsonResume's document) gets GraphQL literals of any JSON shape: objects built from
JSON Resume's own keys (so some reach the schema check's deeper paths), nested lists and objects,
strings, numbers, booleans and null. Every one must be accepted or refused with BAD_USER_INPUT.
"""

import graphql
from hypothesis import strategies as st
import schemathesis
from schemathesis.graphql import nodes

RESUME_KEYS = ["basics", "work", "skills", "education", "languages", "name", "email", "startDate",
               "endDate", "position", "level", "keywords", "label", "url", "highlights", "meta"]


def field(name, value):
    return graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)


def objects(children):
    return st.lists(st.tuples(st.one_of(st.sampled_from(RESUME_KEYS), st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,8}\Z")),
                              children), max_size=5, unique_by=lambda kv: kv[0]).map(
        lambda kvs: nodes.Object([field(k, v) for k, v in kvs]))


SCALARS = st.one_of(
    st.text(max_size=40).map(nodes.String),
    st.sampled_from(["2019", "2019-05", "2019-05-01", "2030-13", "Expert", "Python", "not-an-email"]).map(nodes.String),
    st.integers(min_value=-(2**31), max_value=2**31 - 1).map(nodes.Int),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(nodes.Float),
    st.booleans().map(nodes.Boolean),
    st.just(nodes.Null),
)

JSON = st.recursive(SCALARS, lambda children: st.one_of(st.lists(children, max_size=4).map(nodes.List), objects(children)),
                    max_leaves=20)

schemathesis.graphql.scalar("JSON", JSON)
