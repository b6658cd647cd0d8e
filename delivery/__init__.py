"""Delivering to people: subscriptions' digests and alerts through an outbox, by email, webhook
or into a directory. Transports are the only code here that talks to the network, and only to
the receivers the user configured."""
