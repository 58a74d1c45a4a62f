"""Stand-ins for the national systems MotCua cannot reach from here (contract §8).

Real HTTP servers, run as their own process (``motcua standins``), each speaking its national
system's wire format under its own prefix (``/vneid/``, ``/population/``, …), seeded
deterministically with a few thousand synthetic citizens, with knobs for latency and faults. They
are not part of MotCua: nothing here imports the app (only the demo's list of users, so that the
demo citizens exist in the registry too), and every page they serve says it is a stand-in.
"""
