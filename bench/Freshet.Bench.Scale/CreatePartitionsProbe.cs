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
        return 0;
    }
}
