using System.Buffers.Binary;
using System.Diagnostics;
using Confluent.Kafka;
using Freshet.Perf.Measure;
using Freshet.Perf.Report;

namespace Freshet.Perf.Load;

/// <summary>
/// <c>freshet perf e2e</c>, after Kafka's EndToEndLatency tool but paced rather than one record at a time: one
/// producer sends at the target rate, each value starting with its send time, and consumers positioned at the end of
/// the topic time every record from send to receipt. Records sent during the warm-up are not counted.
/// </summary>
public static class EndToEndLoad
{
    /// <summary>Room for the send timestamp at the start of each value.</summary>
    public const int MinRecordSize = sizeof(long);

    public static async Task<LoadResult> RunAsync(LoadSettings settings, TextWriter log, CancellationToken ct)
    {
        var partitions = await TopicSetup.EnsureTopicAsync(settings, log, ct);
        var counters = new LiveCounters();
        var groupId = "freshet-perf-e2e-" + Guid.NewGuid().ToString("N");
        var consumerCount = Math.Min(settings.Consumers, partitions);
        var expected = new Expected();

        // Consumers start at the current end of each partition, resolved before the first send, so that no record
        // produced from here on can be missed by a consumer still looking for the end.
        var ends = EndOffsets(settings, groupId, partitions);
        var workers = new ConsumerWorker[consumerCount];
        for (var i = 0; i < consumerCount; i++)
            workers[i] = new ConsumerWorker(settings, groupId, PartitionDeal.For(settings.Topic, i, consumerCount, partitions, p => ends[p]), counters, expected);

        var consuming = ProduceLoad.RunAllAsync(workers, w => w.Run(ct));
        await using (ProgressLine.Start("e2e", counters))
        {
            await Task.Run(() => Produce(settings, expected, ct), ct);
            await consuming;
        }

        var latency = new LatencyHistogram();
        foreach (var worker in workers)
            latency.Add(worker.Latency);
        if (counters.Records < expected.Measured)
            await log.WriteLineAsync($"note: {expected.Measured - counters.Records:N0} of {expected.Measured:N0} measured records did not arrive within {settings.Timeout.TotalSeconds:F0} s");
        return new LoadResult
        {
            Kind = "e2e",
            Topic = settings.Topic,
            Records = counters.Records,
            Bytes = counters.Bytes,
            Elapsed = expected.MeasuredSendTime,
            Errors = expected.Errors,
            Latency = latency,
            Setup = ProduceLoad.SetupOf(settings, partitions, "consumers", consumerCount),
        };
    }

    private static Offset[] EndOffsets(LoadSettings settings, string groupId, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(ClientConfigs.Consumer(settings, groupId)).Build();
        var ends = new Offset[partitions];
        for (var p = 0; p < partitions; p++)
            ends[p] = consumer.QueryWatermarkOffsets(new TopicPartition(settings.Topic, p), TimeSpan.FromSeconds(10)).High;
        return ends;
    }

    private static void Produce(LoadSettings settings, Expected expected, CancellationToken ct)
    {
        var payloads = Payloads.For(settings);
        using var producer = new ProducerBuilder<Null, byte[]>(ClientConfigs.Producer(settings)).Build();
        var limiter = new RateLimiter(settings.Throughput);
        var started = Stopwatch.GetTimestamp();
        var warmupEnd = started + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        var endAt = settings.Duration is { } duration ? warmupEnd + (long)(duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var limit = settings.NumRecords ?? long.MaxValue;
        long measured = 0;
        void Delivered(DeliveryReport<Null, byte[]> report)
        {
            if (report.Error.IsError)
                expected.AddError();
        }

        while (measured < limit && !ct.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= endAt)
                break;
            var inWarmup = now < warmupEnd;
            var template = payloads.Next();
            var value = new byte[Math.Max(template.Length, MinRecordSize)];
            template.CopyTo(value, 0);
            // A negative send time marks a warm-up record: received, but not timed.
            BinaryPrimitives.WriteInt64LittleEndian(value, inWarmup ? -now : now);
            producer.Produce(settings.Topic, new Message<Null, byte[]> { Value = value }, Delivered);
            if (!inWarmup)
            {
                measured++;
                expected.Sent(now);
            }

            limiter.WaitForNext();
        }

        while (producer.Flush(TimeSpan.FromSeconds(1)) > 0 && !ct.IsCancellationRequested)
        {
        }

        expected.Finish(measured);
    }

    /// <summary>What the producer promised the consumers: how many timed records, and over what span they were sent.</summary>
    private sealed class Expected
    {
        private long _firstSent;
        private long _lastSent;
        private long _errors;
        private long _measured = -1;

        public long Measured => Math.Max(Interlocked.Read(ref _measured), 0);

        public long Errors => Interlocked.Read(ref _errors);

        public bool Finished => Interlocked.Read(ref _measured) >= 0;

        public TimeSpan MeasuredSendTime => _firstSent == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_firstSent, _lastSent);

        public void Sent(long timestamp)
        {
            if (_firstSent == 0)
                _firstSent = timestamp;
            _lastSent = timestamp;
        }

        public void AddError() => Interlocked.Increment(ref _errors);

        public void Finish(long measured) => Interlocked.Exchange(ref _measured, measured);
    }

    private sealed class ConsumerWorker(
        LoadSettings settings, string groupId, List<TopicPartitionOffset> assigned, LiveCounters counters, Expected expected)
    {
        public LatencyHistogram Latency { get; } = new();

        public void Run(CancellationToken ct)
        {
            using var consumer = new ConsumerBuilder<Ignore, byte[]>(ClientConfigs.Consumer(settings, groupId)).Build();
            consumer.Assign(assigned);
            var quietTicks = (long)(settings.Timeout.TotalSeconds * Stopwatch.Frequency);
            long? finishedAt = null;
            while (!ct.IsCancellationRequested)
            {
                var result = consumer.Consume(50);
                var now = Stopwatch.GetTimestamp();
                if (result?.Message.Value is { Length: >= MinRecordSize } value)
                {
                    var sentAt = BinaryPrimitives.ReadInt64LittleEndian(value);
                    if (sentAt > 0)
                    {
                        Latency.Record((long)Stopwatch.GetElapsedTime(sentAt, now).TotalMicroseconds);
                        counters.Add(1, value.Length);
                    }
                }

                if (expected.Finished)
                {
                    finishedAt ??= now;
                    if (counters.Records >= expected.Measured || now - finishedAt > quietTicks)
                        break;
                }
            }

            consumer.Close();
        }
    }
}
