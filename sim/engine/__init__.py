"""The SimPy model of a workflow: arrivals, resources, the scripted agent, traces."""
