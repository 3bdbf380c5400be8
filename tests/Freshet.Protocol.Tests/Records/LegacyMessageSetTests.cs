using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Protocol.Records.Legacy;

namespace Freshet.Protocol.Tests.Records;

public class LegacyMessageSetTests
{
    /// <summary>One magic 0/1 message written field by field: offset, size, crc, magic, attributes, [timestamp], key, value.</summary>
    private static byte[] Message(long offset, sbyte magic, byte attributes, long timestamp, byte[]? key, byte[]? value)
    {
        var body = new List<byte> { (byte)magic, attributes };
        if (magic == 1)
        {
            body.AddRange(BigEndian(timestamp));
        }
        foreach (var field in new[] { key, value })
        {
            body.AddRange(BigEndian(field?.Length ?? -1));
            body.AddRange(field ?? []);
        }
        var message = new List<byte>();
        message.AddRange(BigEndian(offset));
        message.AddRange(BigEndian(body.Count + 4));
        message.AddRange(BigEndian((int)Crc32.HashToUInt32(body.ToArray())));
        message.AddRange(body);
        return [.. message];
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Convert(byte[] messageSet, out RecordBatchHeader header)
    {
        using var output = new PooledBufferWriter();
        Assert.True(LegacyMessageSet.TryConvertToBatch(messageSet, output, out var error), error.ToString());
        var batch = output.WrittenSpan.ToArray();
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, out header));
        return batch;
    }

    [Fact]
    public void Plain_v0_converts_to_a_v2_batch()
    {
        byte[] set = [.. Message(0, 0, 0, 0, TestBatches.Utf8("k1"), TestBatches.Utf8("v1")), .. Message(0, 0, 0, 0, null, TestBatches.Utf8("v2"))];
        Assert.Equal(0, RecordsMagic.Detect(set));
        var batch = Convert(set, out var header);
        Assert.Equal((2, CompressionType.None, 1), (header.RecordCount, header.Compression, header.LastOffsetDelta));
        var records = RecordBatchReader.ReadRecords(batch);
        Assert.Equal([0L, 1L], records.Select(r => r.Offset));
        Assert.All(records, r => Assert.Equal(LegacyMessageSet.NoTimestamp, r.Timestamp));
        Assert.Equal("k1"u8.ToArray(), records[0].Key!.Value.ToArray());
        Assert.Null(records[1].Key);
        Assert.Equal("v2"u8.ToArray(), records[1].Value!.Value.ToArray());
    }

    [Fact]
    public void Plain_v1_keeps_timestamps_and_tombstones()
    {
        byte[] set = [.. Message(5, 1, 0, 1000, TestBatches.Utf8("a"), null), .. Message(6, 1, 0, 1003, TestBatches.Utf8("b"), TestBatches.Utf8("x"))];
        Assert.Equal(1, RecordsMagic.Detect(set));
        var records = RecordBatchReader.ReadRecords(Convert(set, out var header));
        Assert.Equal(5, header.BaseOffset);
        Assert.Equal([1000L, 1003L], records.Select(r => r.Timestamp));
        Assert.Null(records[0].Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Gzip_wrapped_sets_convert_to_a_gzip_batch(sbyte magic)
    {
        // v1 inner offsets are relative (0, 1, 2) and the wrapper carries the last absolute one; v0 inner offsets are absolute.
        long[] innerOffsets = magic == 1 ? [0, 1, 2] : [40, 41, 42];
        var inner = innerOffsets.SelectMany((o, i) => Message(o, magic, 0, 2000 + i, null, TestBatches.Utf8($"m{i}"))).ToArray();
        var wrapper = Message(42, magic, (byte)CompressionType.Gzip, 2002, null, Gzip(inner));
        var batch = Convert(wrapper, out var header);
        Assert.Equal(CompressionType.Gzip, header.Compression);
        var records = RecordBatchReader.ReadRecords(batch);
        Assert.Equal([40L, 41L, 42L], records.Select(r => r.Offset));
        Assert.Equal(["m0", "m1", "m2"], records.Select(r => System.Text.Encoding.UTF8.GetString(r.Value!.Value.Span)));
        if (magic == 1)
        {
            Assert.Equal([2000L, 2001L, 2002L], records.Select(r => r.Timestamp));
        }
    }

    [Fact]
    public void V1_log_append_time_wrapper_stamps_inner_messages()
    {
        var inner = Message(0, 1, 0, 1, null, TestBatches.Utf8("a")).Concat(Message(1, 1, 0, 2, null, TestBatches.Utf8("b"))).ToArray();
        var wrapper = Message(1, 1, (byte)((byte)CompressionType.Gzip | 0x08), 9999, null, Gzip(inner));
        Assert.All(RecordBatchReader.ReadRecords(Convert(wrapper, out _)), r => Assert.Equal(9999, r.Timestamp));
    }

    [Fact]
    public void Corrupt_legacy_sets_are_typed_errors()
    {
        var good = Message(0, 1, 0, 1, null, TestBatches.Utf8("value"));
        using var output = new PooledBufferWriter();

        var badCrc = (byte[])good.Clone();
        badCrc[^1] ^= 1;
        Assert.False(LegacyMessageSet.TryConvertToBatch(badCrc, output, out var error));
        Assert.Equal(RecordBatchError.CrcMismatch, error);

        for (var cut = 1; cut < good.Length; cut++)
        {
            Assert.False(LegacyMessageSet.TryConvertToBatch(good.AsSpan(0, cut), output, out error));
            Assert.Equal(RecordBatchError.Truncated, error);
        }

        var negativeSize = (byte[])good.Clone();
        BinaryPrimitives.WriteInt32BigEndian(negativeSize.AsSpan(8), -1);
        Assert.False(LegacyMessageSet.TryConvertToBatch(negativeSize, output, out error));
        Assert.Equal(RecordBatchError.InvalidLength, error);

        var hugeKey = Message(0, 1, 0, 1, TestBatches.Utf8("k"), null);
        BinaryPrimitives.WriteInt32BigEndian(hugeKey.AsSpan(26), int.MaxValue);
        BinaryPrimitives.WriteUInt32BigEndian(hugeKey.AsSpan(12), Crc32.HashToUInt32(hugeKey.AsSpan(16)));
        Assert.False(LegacyMessageSet.TryConvertToBatch(hugeKey, output, out error));
        Assert.Equal(RecordBatchError.InvalidRecord, error);

        var v2 = TestBatches.Build(1);
        Assert.False(LegacyMessageSet.TryConvertToBatch(v2, output, out error));
        Assert.Equal(RecordBatchError.UnsupportedMagic, error);

        Assert.False(LegacyMessageSet.TryConvertToBatch([], output, out error));
        Assert.Equal(RecordBatchError.InvalidRecordCount, error);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Nested_compression_and_bombs_are_rejected()
    {
        using var output = new PooledBufferWriter();
        var inner = Message(0, 1, (byte)CompressionType.Gzip, 1, null, Gzip(Message(0, 1, 0, 1, null, [1])));
        var nested = Message(0, 1, (byte)CompressionType.Gzip, 1, null, Gzip(inner));
        Assert.False(LegacyMessageSet.TryConvertToBatch(nested, output, out var error));
        Assert.Equal(RecordBatchError.InvalidRecord, error);

        var bomb = Message(0, 1, (byte)CompressionType.Gzip, 1, null, Gzip(new byte[2_000_000]));
        Assert.False(LegacyMessageSet.TryConvertToBatch(bomb, output, out error, maxDecompressedSize: 1_000_000));
        Assert.Equal(RecordBatchError.DecompressedTooLarge, error);
    }
}
