using System.Diagnostics;
using Confluent.Kafka;
using Freshet.Perf.Measure;
using Freshet.Perf.Report;

namespace Freshet.Perf.Load;

/// <summary>
/// <c>freshet perf consume</c>, after kafka-consumer-perf-test: consumers read the topic from the beginning, the
/// partitions dealt out among them by direct assignment (no group rebalance in the measurement), until the record
/// count, the duration, or a quiet spell of <see cref="LoadSettings.Timeout"/> ends the run. The rate is taken from
/// the first record to the last, as the Kafka tool's fetch rate is.
/// </summary>
public static class ConsumeLoad
{
    public static async Task<LoadResult> RunAsync(LoadSettings settings, TextWriter log, CancellationToken ct)
    {
        var partitions = PartitionCount(settings);
        var counters = new LiveCounters();
        var window = new FirstAndLast();
        var groupId = "freshet-perf-" + Guid.NewGuid().ToString("N");
        var consumers = Math.Min(settings.Consumers, partitions);
        var workers = new ConsumerWorker[consumers];
        for (var i = 0; i < consumers; i++)
            workers[i] = new ConsumerWorker(settings, groupId, PartitionDeal.For(settings.Topic, i, consumers, partitions, _ => Offset.Beginning), counters, window);

        await using (ProgressLine.Start("consume", counters))
            await ProduceLoad.RunAllAsync(workers, w => w.Run(ct));

        if (counters.Records == 0)
            await log.WriteLineAsync($"note: no records arrived within {settings.Timeout.TotalSeconds:F0} s");
        return new LoadResult
        {
            Kind = "consume",
            Topic = settings.Topic,
            Records = counters.Records,
            Bytes = counters.Bytes,
            Elapsed = window.Elapsed,
            Setup =
            [
                new("partitions", partitions.ToString()),
                new("consumers", consumers.ToString()),
            ],
        };
    }

    internal static int PartitionCount(LoadSettings settings)
    {
        using var admin = new AdminClientBuilder(ClientConfigs.Admin(settings)).Build();
        var metadata = admin.GetMetadata(settings.Topic, TimeSpan.FromSeconds(10));
        var topic = metadata.Topics.FirstOrDefault(t => t.Topic == settings.Topic);
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
            throw new InvalidOperationException($"topic {settings.Topic} is not there to consume: {topic?.Error.Reason ?? "no metadata"}");
        return topic.Partitions.Count;
    }

    /// <summary>The times of the first and the last record received by any consumer.</summary>
    internal sealed class FirstAndLast
    {
        private long _first;
        private long _last;

        public TimeSpan Elapsed
        {
            get
            {
                var first = Interlocked.Read(ref _first);
                return first == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(first, Interlocked.Read(ref _last));
            }
        }

        public void Saw(long timestamp)
        {
            Interlocked.CompareExchange(ref _first, timestamp, 0);
            long last;
            do
            {
                last = Interlocked.Read(ref _last);
                if (timestamp <= last)
                    return;
            }
            while (Interlocked.CompareExchange(ref _last, timestamp, last) != last);
        }
    }

    private sealed class ConsumerWorker(
        LoadSettings settings, string groupId, List<TopicPartitionOffset> assigned, LiveCounters counters, FirstAndLast window)
    {
        public void Run(CancellationToken ct)
        {
            using var consumer = new ConsumerBuilder<Ignore, byte[]>(ClientConfigs.Consumer(settings, groupId)).Build();
            consumer.Assign(assigned);
            var limit = settings.NumRecords ?? long.MaxValue;
            var endAt = settings.Duration is { } duration ? Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
            var lastRecordAt = Stopwatch.GetTimestamp();
            var quietTicks = (long)(settings.Timeout.TotalSeconds * Stopwatch.Frequency);
            while (!ct.IsCancellationRequested && counters.Records < limit)
            {
                var result = consumer.Consume(100);
                var now = Stopwatch.GetTimestamp();
                if (now >= endAt)
                    break;
                if (result is null)
                {
                    if (now - lastRecordAt > quietTicks)
                        break;
                    continue;
                }

                lastRecordAt = now;
                window.Saw(now);
                counters.Add(1, result.Message.Value?.Length ?? 0);
            }

            consumer.Close();
        }
    }
}
