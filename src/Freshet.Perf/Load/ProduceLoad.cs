using System.Diagnostics;
using Confluent.Kafka;
using Freshet.Perf.Measure;
using Freshet.Perf.Report;

namespace Freshet.Perf.Load;

/// <summary>
/// <c>freshet perf produce</c>, after kafka-producer-perf-test: each producer thread sends its share of the records
/// as fast as the client takes them (or at its share of the target rate) and times every record from send to
/// acknowledgement.
/// </summary>
public static class ProduceLoad
{
    public static async Task<LoadResult> RunAsync(LoadSettings settings, TextWriter log, CancellationToken ct)
    {
        var partitions = await TopicSetup.EnsureTopicAsync(settings, log, ct);
        var payloads = Payloads.For(settings);
        var counters = new LiveCounters();
        var workers = new ProducerWorker[settings.Producers];
        for (var i = 0; i < workers.Length; i++)
            workers[i] = new ProducerWorker(settings, payloads.Copy(), counters, Share(settings.NumRecords, settings.Producers, i));

        var started = Stopwatch.GetTimestamp();
        await using (ProgressLine.Start("produce", counters))
            await RunAllAsync(workers, w => w.Run(ct));
        var elapsed = Stopwatch.GetElapsedTime(started);

        var latency = new LatencyHistogram();
        foreach (var worker in workers)
            latency.Add(worker.Latency);
        return new LoadResult
        {
            Kind = "produce",
            Topic = settings.Topic,
            Records = counters.Records,
            Bytes = counters.Bytes,
            Elapsed = elapsed,
            Errors = counters.Errors,
            Latency = latency,
            Setup = SetupOf(settings, partitions, "producers", settings.Producers),
        };
    }

    /// <summary>Runs each worker on its own thread: the client calls block, and a pool thread per worker would starve the pool.</summary>
    internal static Task RunAllAsync<T>(IReadOnlyList<T> workers, Action<T> run)
    {
        var tasks = new Task[workers.Count];
        for (var i = 0; i < workers.Count; i++)
        {
            var worker = workers[i];
            tasks[i] = Task.Factory.StartNew(() => run(worker), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        return Task.WhenAll(tasks);
    }

    /// <summary>Worker <paramref name="index"/>'s part of <paramref name="total"/>; the first ones take the remainder.</summary>
    internal static long? Share(long? total, int workers, int index) =>
        total is not { } n ? null : (n / workers) + (index < n % workers ? 1 : 0);

    internal static IReadOnlyList<KeyValuePair<string, string>> SetupOf(LoadSettings settings, int partitions, string workersName, int workers) =>
    [
        new("partitions", partitions.ToString()),
        new("record size", settings.PayloadFile is { } file ? "from " + Path.GetFileName(file) : settings.RecordSize + " B"),
        new("acks", settings.Acks == -1 ? "all" : settings.Acks.ToString()),
        new("compression", settings.Compression),
        new("linger.ms", settings.LingerMs?.ToString() ?? "default"),
        new("batch.size", settings.BatchSize?.ToString() ?? "default"),
        new(workersName, workers.ToString()),
        new("target rate", settings.Throughput > 0 ? settings.Throughput + " records/s" : "unlimited"),
    ];

    private sealed class ProducerWorker(LoadSettings settings, Payloads payloads, LiveCounters counters, long? quota)
    {
        public LatencyHistogram Latency { get; } = new();

        public void Run(CancellationToken ct)
        {
            using var producer = new ProducerBuilder<Null, byte[]>(ClientConfigs.Producer(settings)).Build();
            var limiter = new RateLimiter(settings.Throughput > 0 ? settings.Throughput / settings.Producers : -1);
            var endAt = settings.Duration is { } duration ? Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
            var messages = new Dictionary<byte[], Message<Null, byte[]>>(ReferenceEqualityComparer.Instance);
            var limit = quota ?? long.MaxValue;
            for (long sent = 0; sent < limit && !ct.IsCancellationRequested; sent++)
            {
                var sentAt = Stopwatch.GetTimestamp();
                if (sentAt >= endAt)
                    break;
                var value = payloads.Next();
                // The client serialises the value during Produce, so one message object per payload is reused.
                if (!messages.TryGetValue(value, out var message))
                    messages[value] = message = new Message<Null, byte[]> { Value = value };
                Send(producer, message, report => Delivered(report, sentAt, value.Length));
                limiter.WaitForNext();
            }

            while (producer.Flush(TimeSpan.FromSeconds(1)) > 0 && !ct.IsCancellationRequested)
            {
            }
        }

        // Delivery reports come from the client's poll thread, and also from the worker's own thread while Flush
        // serves the queue, so the histogram is written under a lock.
        private readonly Lock _latencyLock = new();

        private void Delivered(DeliveryReport<Null, byte[]> report, long sentAt, int bytes)
        {
            if (report.Error.IsError)
            {
                counters.AddError();
                return;
            }

            lock (_latencyLock)
            {
                Latency.Record((long)Stopwatch.GetElapsedTime(sentAt).TotalMicroseconds);
            }
            counters.Add(1, bytes);
        }

        private string Topic => settings.Topic;

        private void Send(IProducer<Null, byte[]> producer, Message<Null, byte[]> message, Action<DeliveryReport<Null, byte[]>> delivered)
        {
            while (true)
            {
                try
                {
                    producer.Produce(Topic, message, delivered);
                    return;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // The client's queue is full: wait for acknowledgements to make room, as the Java producer blocks.
                    // (Delivery reports are served by the client's own poll thread.)
                    Thread.Sleep(1);
                }
            }
        }
    }
}
