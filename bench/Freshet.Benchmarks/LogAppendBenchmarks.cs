using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Benchmarks;

/// <summary>
/// Appending 16 KiB batches to a <see cref="PartitionLog"/> against the limit measured in the same run: a plain
/// sequential <see cref="FileStream"/> write of the same bytes (the baseline; the goal is a ratio ≤ 1.25, i.e.
/// ≥ 80% of its throughput). <see cref="Read"/> fetches the written log back in 1 MiB reads.
/// Each operation moves <see cref="BatchesPerOperation"/> batches (64 MiB); times are per batch.
/// Run: <c>dotnet run -c Release --project bench/Freshet.Benchmarks -- --filter *LogAppend*</c>.
/// </summary>
[MemoryDiagnoser]
public class LogAppendBenchmarks : IDisposable
{
    public const int BatchBytes = 16 * 1024;
    public const int BatchesPerOperation = 4096;

    private readonly byte[] _batch = BuildBatch(BatchBytes);
    private readonly byte[] _readBuffer = new byte[1024 * 1024 + BatchBytes];
    private string _dir = "";
    private LogManager? _manager;
    private PartitionLog? _log;
    private FileStream? _stream;

    [IterationSetup(Targets = [nameof(FileStreamWrite), nameof(PartitionLogAppend)])]
    public void SetUpWrite()
    {
        _dir = Path.Combine(Path.GetTempPath(), "freshet-bench-" + Guid.NewGuid().ToString("N"));
        _manager = new LogManager(new LogManagerOptions { LogDirs = [_dir] }, NullLoggerFactory.Instance);
        _manager.LoadLogs(_ => new LogConfig());
        _log = _manager.CreateLog(new TopicPartition("bench", 0), KafkaUuid.NewRandom(), new LogConfig());
        _stream = new FileStream(Path.Combine(_dir, "baseline.log"), FileMode.Create, FileAccess.Write, FileShare.Read);
    }

    [IterationCleanup(Targets = [nameof(FileStreamWrite), nameof(PartitionLogAppend)])]
    public void CleanUpWrite() => CleanUp();

    [GlobalSetup(Target = nameof(Read))]
    public void SetUpRead()
    {
        SetUpWrite();
        for (var i = 0; i < BatchesPerOperation; i++)
        {
            _log!.Append(_batch, 0);
        }
    }

    [GlobalCleanup(Target = nameof(Read))]
    public void CleanUpRead() => CleanUp();

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchesPerOperation)]
    public void FileStreamWrite()
    {
        for (var i = 0; i < BatchesPerOperation; i++)
        {
            _stream!.Write(_batch);
        }
        _stream!.Flush();
    }

    [Benchmark(OperationsPerInvoke = BatchesPerOperation)]
    public long PartitionLogAppend()
    {
        long last = 0;
        for (var i = 0; i < BatchesPerOperation; i++)
        {
            last = _log!.Append(_batch, 0).LastOffset;
        }
        return last;
    }

    [Benchmark(OperationsPerInvoke = BatchesPerOperation)]
    public long Read()
    {
        var log = _log!;
        long offset = 0;
        long bytes = 0;
        while (offset < log.LogEndOffset)
        {
            var region = log.Read(offset, 1024 * 1024, long.MaxValue, minOneBatch: true).Records;
            bytes += region.CopyTo(_readBuffer);
            var lastBatch = _readBuffer.AsSpan(region.Length - BatchBytes, BatchBytes);
            offset = RecordBatchHeader.Read(lastBatch).NextOffset;
        }
        return bytes;
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _manager?.Dispose();
        GC.SuppressFinalize(this);
    }

    private void CleanUp()
    {
        _stream?.Dispose();
        _manager?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A magic-2 batch of 100 records with opaque payload and a correct CRC.</summary>
    internal static byte[] BuildBatch(int size, long timestamp = 1_700_000_000_000)
    {
        var batch = new byte[size];
        Random.Shared.NextBytes(batch.AsSpan(RecordBatchHeader.Size));
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), size - RecordBatchHeader.LogOverhead);
        batch[RecordBatchHeader.MagicOffset] = (byte)RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), 99);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.BaseTimestampOffset), timestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.MaxTimestampOffset), timestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.ProducerIdOffset), -1);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.ProducerEpochOffset), -1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BaseSequenceOffset), -1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), 100);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcOffset), RecordBatchHeader.ComputeCrc(batch));
        return batch;
    }
}
