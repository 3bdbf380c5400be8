using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Freshet.Bench.Scale;

/// <summary>Time for one CreateTopics request creating --topics topics of --partitions partitions each, until the broker answers.</summary>
internal static class CreatePartitionsProbe
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var topics = args.GetInt("topics", 10);
        var partitions = args.GetInt("partitions", 1000);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = args.Get("bootstrap"), SocketTimeoutMs = 300_000 }).SetLogHandler((_, _) => { }).Build();
        admin.GetMetadata(TimeSpan.FromSeconds(10));
        var prefix = "scale-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var specifications = Enumerable.Range(0, topics)
            .Select(i => new TopicSpecification { Name = prefix + i, NumPartitions = partitions, ReplicationFactor = 1 })
            .ToList();
        var clock = Stopwatch.StartNew();
        await admin.CreateTopicsAsync(specifications, new CreateTopicsOptions
        {
            RequestTimeout = TimeSpan.FromMinutes(5),
            OperationTimeout = TimeSpan.FromMinutes(5),
        });
        Console.WriteLine($"create_{topics * partitions}_partitions {clock.Elapsed.TotalMilliseconds:F0} ms");

        // The answer comes once the controller committed the topics and this broker applied them, or after the
        // broker's own wait for that gave up; the broker lists a topic only once its partitions' logs exist.
        var deadline = TimeSpan.FromMinutes(5);
        while (!AllListed(admin, specifications, partitions))
        {
            if (clock.Elapsed > deadline)
            {
                Console.Error.WriteLine("the broker did not list every created partition within 5 minutes");
                return 1;
            }
            await Task.Delay(50);
        }
        Console.WriteLine($"listed_{topics * partitions}_partitions {clock.Elapsed.TotalMilliseconds:F0} ms");
        return 0;
    }

    private static bool AllListed(IAdminClient admin, List<TopicSpecification> specifications, int partitions)
    {
        var listed = admin.GetMetadata(TimeSpan.FromSeconds(30)).Topics
            .Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count == partitions && t.Partitions.All(p => p.Leader >= 0))
            .Select(t => t.Topic)
            .ToHashSet();
        return specifications.All(s => listed.Contains(s.Name));
    }
}
