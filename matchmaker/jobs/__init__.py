"""Background jobs: webhook deliveries, email, retraining and statistics rebuilds.

With MATCHMAKER_BROKER_URL set (RabbitMQ ``amqp://`` or Redis ``redis://``) jobs go on a dramatiq
queue and ``matchmaker worker`` runs them: a message is acknowledged only once its job has
finished, so a worker killed mid-job loses nothing (the broker hands the message to the next
worker) and each job checks the database first, so a job delivered twice is done once. Without a
broker, jobs run inline in the process that asks for them, once the asking transaction commits.
"""
