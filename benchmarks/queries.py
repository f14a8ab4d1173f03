"""The queries the benchmarks send (and the tests check the limits let through)."""

from __future__ import annotations

SMALL = "query($slug: String!) { mission(slug: $slug) { name crew { role person { name } } } }"
ROUND_TRIP_BOUND = 6
"""The tree reads four relations (programs, their missions, crew people, outcome people),
each at most one command, plus at most two collection-size lookups when it chooses a
scan: six, whatever the number of missions."""
TREE = """{
  programs(first: 100) {
    nodes {
      slug name country
      missions(first: 100) {
        nodes {
          slug name launchDate status
          crew { role person { slug name } }
          outcomes { kind summary people { slug name } }
        }
      }
    }
  }
}"""
