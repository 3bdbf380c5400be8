using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Freshet.Perf.Load;

/// <summary>Makes sure the run's topic exists, creating it with the requested partition count if it does not.</summary>
public static class TopicSetup
{
    /// <returns>The topic's partition count as the broker reports it.</returns>
    public static async Task<int> EnsureTopicAsync(LoadSettings settings, TextWriter log, CancellationToken ct)
    {
        using var admin = new AdminClientBuilder(ClientConfigs.Admin(settings)).Build();
        try
        {
            // Create first, rather than look first: a metadata request may auto-create the topic with the
            // broker's default partition count.
            await admin.CreateTopicsAsync(
                [new TopicSpecification { Name = settings.Topic, NumPartitions = settings.Partitions, ReplicationFactor = settings.ReplicationFactor }],
                new CreateTopicsOptions { OperationTimeout = TimeSpan.FromSeconds(30), RequestTimeout = TimeSpan.FromSeconds(30) });
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists or ErrorCode.NoError))
        {
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var metadata = admin.GetMetadata(settings.Topic, TimeSpan.FromSeconds(10));
            var topic = metadata.Topics.FirstOrDefault(t => t.Topic == settings.Topic);
            if (topic is { Error.IsError: false } && topic.Partitions.Count > 0 && topic.Partitions.All(p => p.Leader >= 0))
            {
                if (topic.Partitions.Count != settings.Partitions)
                    await log.WriteLineAsync($"note: topic {settings.Topic} already has {topic.Partitions.Count} partitions (asked for {settings.Partitions})");
                return topic.Partitions.Count;
            }

            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"topic {settings.Topic} has no leaders after 30 s: {topic?.Error}");
            await Task.Delay(100, ct);
        }
    }
}
