using System.Net;
using System.Net.Sockets;
using Freshet.Broker.Network;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Storage;
using Microsoft.Win32.SafeHandles;

namespace Freshet.Broker.Tests.Network;

/// <summary>
/// Record regions sent from the segment file (sendfile through Socket.SendPacketsAsync) put exactly the bytes on
/// the wire that the copying path does, in order, and survive the segment's file being closed mid-response.
/// </summary>
public sealed class ZeroCopySendTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"freshet-zero-copy-{Guid.NewGuid():N}.log");
    private readonly byte[] _contents = new byte[512 * 1024];
    private readonly SafeFileHandle _file;

    public ZeroCopySendTests()
    {
        new Random(5).NextBytes(_contents);
        File.WriteAllBytes(_path, _contents);
        // Opened for asynchronous I/O as a segment's log is, so regions of it share one send stream.
        _file = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
    }

    public void Dispose()
    {
        _file.Dispose();
        File.Delete(_path);
    }

    [Theory]
    [InlineData((short)4)]
    [InlineData((short)12)]
    [InlineData((short)16)]
    public async Task Spliced_frame_puts_the_same_bytes_on_the_wire_as_the_copying_path(short version)
    {
        using var request = new Borrowed();
        var copied = Encode(BuildResponse(request), version, spliceFiles: false, out var copiedSplices);
        Assert.Equal(0, copiedSplices);

        using var frame = new ResponseFrame(1024, spliceFiles: true);
        ResponseWriter.Encode(frame, correlationId: 42, headerVersion: 1, BuildResponse(request), version);
        // The two regions of at least MinimumSpliceBytes stay in the file; the small one is copied.
        Assert.Equal(2, frame.Splices.Count);
        Assert.Equal(copied.Length, frame.Length);
        Assert.True(frame.Buffer.Length < 16 * 1024, $"the frame buffer holds {frame.Buffer.Length} bytes; spliced records should not be in it");

        var (sent, channel) = await SendAndReceiveAsync(frame, plainFrameAfter: copied);
        Assert.Equal(copied, sent[..copied.Length]);
        Assert.Equal(copied, sent[copied.Length..]);
        Assert.Equal(1, channel.SplicedFrames);
        Assert.Equal((200 * 1024) + (100 * 1024) + 7, channel.SplicedBytes);
    }

    [Fact]
    public async Task A_borrowed_region_is_still_sent_after_its_segment_closes_the_file()
    {
        using var owner = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Assert.True(FileRegionBytes.TryBorrow(new FileRegion(owner, 1000, 64 * 1024), out var bytes));
        using (bytes)
        {
            var response = ResponseWith(bytes.Memory);
            owner.Dispose(); // retention deleted the segment and file.delete.delay.ms passed during the fetch

            using var frame = new ResponseFrame(1024, spliceFiles: true);
            ResponseWriter.Encode(frame, 7, 1, response, 12);
            Assert.Single(frame.Splices);
            var (sent, _) = await SendAndReceiveAsync(frame, plainFrameAfter: null);
            AssertSentRecordsOfOnePartition(sent, correlationId: 7, position: 1000, length: 64 * 1024);
        }
        Assert.False(FileRegionBytes.TryBorrow(new FileRegion(owner, 0, 10), out _));
    }

    [Fact]
    public void Regions_of_one_segment_share_one_send_stream_over_its_own_handle()
    {
        Assert.True(FileRegionBytes.TryBorrow(new FileRegion(_file, 0, 32 * 1024), out var first));
        Assert.True(FileRegionBytes.TryBorrow(new FileRegion(_file, 100_000, 32 * 1024), out var second));
        using (first)
        using (second)
        {
            Assert.True(first.TryGetStream(out var stream));
            Assert.True(second.TryGetStream(out var again));
            Assert.Same(stream, again);
            Assert.Same(_file, stream.SafeFileHandle);
        }
        Assert.False(_file.IsClosed);
    }

    [Fact]
    public async Task A_region_of_a_shared_send_stream_is_still_sent_after_its_segment_closes_the_file()
    {
        var owner = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        Assert.True(FileRegionBytes.TryBorrow(new FileRegion(owner, 1000, 64 * 1024), out var bytes));
        using (bytes)
        {
            owner.Dispose(); // retention deleted the segment and file.delete.delay.ms passed during the fetch
            Assert.True(bytes.TryGetStream(out var stream));
            Assert.Same(owner, stream.SafeFileHandle);

            using var frame = new ResponseFrame(1024, spliceFiles: true);
            ResponseWriter.Encode(frame, 7, 1, ResponseWith(bytes.Memory), 12);
            Assert.Single(frame.Splices);
            var (sent, _) = await SendAndReceiveAsync(frame, plainFrameAfter: null);
            AssertSentRecordsOfOnePartition(sent, correlationId: 7, position: 1000, length: 64 * 1024);
        }
        Assert.True(owner.IsClosed);
        Assert.False(FileRegionBytes.TryBorrow(new FileRegion(owner, 0, 10), out _));
    }

    [Fact]
    public void The_copying_path_reads_a_region_through_the_span()
    {
        Assert.True(FileRegionBytes.TryBorrow(new FileRegion(_file, 12345, 20_000), out var bytes));
        using (bytes)
        {
            Assert.Equal(_contents.AsSpan(12345, 20_000).ToArray(), bytes.Memory.ToArray());
        }
    }

    private FetchResponse BuildResponse(Borrowed request) => new()
    {
        Responses =
        [
            new FetchResponse.FetchableTopicResponse
            {
                Topic = "t",
                Partitions =
                [
                    Partition(0, request.Take(_file, 0, 200 * 1024)),
                    Partition(1, request.Take(_file, 250_000, 4096)),
                    Partition(2, ReadOnlyMemory<byte>.Empty),
                    Partition(3, request.Take(_file, 300_000, (100 * 1024) + 7)),
                ],
            },
        ],
    };

    /// <summary>The frame on the wire is a v12 Fetch response whose one partition holds the file's bytes at that range.</summary>
    private void AssertSentRecordsOfOnePartition(byte[] sent, int correlationId, int position, int length)
    {
        var reader = new KafkaReader(sent.AsMemory(4));
        Assert.Equal(correlationId, ResponseHeader.Read(ref reader, 1).CorrelationId);
        var decoded = (FetchResponse)ApiCatalog.ReadResponse(ApiKey.Fetch, 12, ref reader);
        var records = Assert.Single(Assert.Single(decoded.Responses).Partitions).Records;
        Assert.Equal(_contents.AsSpan(position, length).ToArray(), records!.Value.ToArray());
    }

    private static FetchResponse ResponseWith(ReadOnlyMemory<byte> records) => new()
    {
        Responses = [new FetchResponse.FetchableTopicResponse { Topic = "t", Partitions = [Partition(0, records)] }],
    };

    private static FetchResponse.PartitionData Partition(int index, ReadOnlyMemory<byte> records) => new()
    {
        PartitionIndex = index,
        HighWatermark = 1000 + index,
        LastStableOffset = 1000 + index,
        LogStartOffset = 0,
        Records = records,
    };

    private static byte[] Encode(FetchResponse response, short version, bool spliceFiles, out int splices)
    {
        using var frame = new ResponseFrame(1024, spliceFiles);
        ResponseWriter.Encode(frame, correlationId: 42, headerVersion: 1, response, version);
        splices = frame.Splices.Count;
        return frame.Buffer.ToArray();
    }

    /// <summary>Sends the frame (and then an ordinary one) over loopback TCP; returns every byte the peer received.</summary>
    private static async Task<(byte[] Received, ResponseChannel Channel)> SendAndReceiveAsync(ResponseFrame frame, byte[]? plainFrameAfter)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        using var channel = new ResponseChannel(server, sendsFromFiles: true);

        var expected = (int)frame.Length + (plainFrameAfter?.Length ?? 0);
        var receiving = ReceiveAsync(client, expected);
        await channel.SendAsync(frame, CancellationToken.None);
        if (plainFrameAfter is not null)
        {
            await channel.SendAsync(plainFrameAfter, CancellationToken.None);
        }
        return (await receiving, channel);
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int length)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new byte[length];
        var total = 0;
        while (total < length)
        {
            var read = await socket.ReceiveAsync(received.AsMemory(total), SocketFlags.None, timeout.Token);
            Assert.NotEqual(0, read);
            total += read;
        }
        return received;
    }

    /// <summary>The regions a request borrowed, released at the end as the request context does.</summary>
    private sealed class Borrowed : IDisposable
    {
        private readonly List<FileRegionBytes> _regions = [];

        public ReadOnlyMemory<byte> Take(SafeFileHandle file, long position, int length)
        {
            Assert.True(FileRegionBytes.TryBorrow(new FileRegion(file, position, length), out var bytes));
            _regions.Add(bytes);
            return bytes.Memory;
        }

        public void Dispose()
        {
            foreach (var region in _regions)
            {
                ((IDisposable)region).Dispose();
            }
        }
    }
}
