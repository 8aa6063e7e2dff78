"""Steps every feature uses: stores, running jerry, the final-state check."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from behave import given, then, when  # noqa: E402

import jerrylib as jl  # noqa: E402

from jerrylib import J, big_text, init_store, add_items, violations_fail, BIG  # noqa: E402,F401


@given("a fresh store")
def step_fresh(context):
    init_store(context, context.store)


@given("a store with {n:d} items")
def step_store_items(context, n):
    init_store(context, context.store)
    add_items(context, n)


@then("the store is consistent")
def step_consistent(context):
    violations_fail(context, jl.verify_store(context.jerry, context.store, context.env),
                    "store not consistent")


@then("the store is consistent once dead writers' temp files are repaired")
def step_consistent_repair(context):
    violations_fail(context, jl.verify_store(context.jerry, context.store, context.env,
                                             allow_temp=True), "store not consistent")


@then("nothing was lost")
def step_nothing_lost(context):
    assert context.rec["lost"] == 0, "%d acknowledged changes lost" % context.rec["lost"]
