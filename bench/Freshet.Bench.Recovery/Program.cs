using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Bench.Recovery;

/// <summary>
/// Recovery time after SIGKILL. A child process writes a log of the given size with 16 KiB batches, fsyncs it and
/// checkpoints (so the recovery point is recent), appends an unflushed tail and reports ready; the parent kills it
/// with SIGKILL, then times a fresh LogManager's start-up and LoadLogs over the same dir, which re-reads the tail.
/// Run: <c>dotnet run -c Release --project bench/Freshet.Bench.Recovery -- [GiB=2] [tail MiB=16] [dir]</c>.
/// </summary>
internal static class Program
{
    private const int BatchBytes = 16 * 1024;
    private static readonly TopicPartition Partition = new("recovery", 0);

    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "write")
        {
            Write(args[1], long.Parse(args[2], CultureInfo.InvariantCulture), long.Parse(args[3], CultureInfo.InvariantCulture));
            return 0;
        }
        var gib = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2;
        var tailMib = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        var dir = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "freshet-recovery-" + Guid.NewGuid().ToString("N"));
        try
        {
            return Run(dir, (long)(gib * 1024 * 1024 * 1024), (long)(tailMib * 1024 * 1024));
        }
        finally
        {
            if (args.Length <= 2 && Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static int Run(string dir, long bytes, long tailBytes)
    {
        var writeWatch = Stopwatch.StartNew();
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "write", dir, bytes.ToString(CultureInfo.InvariantCulture), tailBytes.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }
        using var writer = Process.Start(info)!;
        string? line;
        while ((line = writer.StandardOutput.ReadLine()) is not null && line != "ready")
        {
            Console.WriteLine("writer: " + line);
        }
        if (line != "ready")
        {
            Console.Error.WriteLine("The writer exited before it was ready.");
            return 1;
        }
        writer.Kill();
        writer.WaitForExit();
        Console.WriteLine($"wrote {bytes / (1024.0 * 1024 * 1024):F2} GiB + {tailBytes / (1024.0 * 1024):F0} MiB unflushed tail in {writeWatch.Elapsed.TotalSeconds:F1} s; writer killed (SIGKILL)");

        var recoverWatch = Stopwatch.StartNew();
        using var manager = new LogManager(new LogManagerOptions { LogDirs = [dir] }, NullLoggerFactory.Instance);
        manager.LoadLogs(_ => new LogConfig());
        recoverWatch.Stop();
        manager.TryGetLog(Partition, out var log);
        Console.WriteLine($"recovery: LogManager start-up + LoadLogs took {recoverWatch.Elapsed.TotalMilliseconds:F0} ms; " +
            $"{log!.SegmentCount} segments, log end offset {log.LogEndOffset}, recovery point {log.RecoveryPoint}");
        return 0;
    }

    /// <summary>The child: writes, fsyncs and checkpoints <paramref name="bytes"/>, appends the tail unflushed, says ready, waits to be killed.</summary>
    private static void Write(string dir, long bytes, long tailBytes)
    {
        var manager = new LogManager(new LogManagerOptions { LogDirs = [dir] }, NullLoggerFactory.Instance);
        manager.LoadLogs(_ => new LogConfig());
        var log = manager.CreateLog(Partition, KafkaUuid.NewRandom(), new LogConfig());
        var batch = BuildBatch();
        for (long written = 0; written < bytes; written += BatchBytes)
        {
            log.Append(batch, 0);
        }
        log.Flush();
        manager.CheckpointAll();
        for (long written = 0; written < tailBytes; written += BatchBytes)
        {
            log.Append(batch, 0);
        }
        Console.WriteLine("ready");
        Thread.Sleep(Timeout.Infinite);
    }

    private static byte[] BuildBatch()
    {
        var batch = new byte[BatchBytes];
        Random.Shared.NextBytes(batch.AsSpan(RecordBatchHeader.Size));
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), BatchBytes - RecordBatchHeader.LogOverhead);
        batch[RecordBatchHeader.MagicOffset] = (byte)RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), 99);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.BaseTimestampOffset), 1_700_000_000_000);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.MaxTimestampOffset), 1_700_000_000_000);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.ProducerIdOffset), -1);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.ProducerEpochOffset), -1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BaseSequenceOffset), -1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), 100);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcOffset), RecordBatchHeader.ComputeCrc(batch));
        return batch;
    }
}
