using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Tests.Messages;

public class RoundTripTests
{
    public static TheoryData<string, short> EveryMessageAndVersion()
    {
        var data = new TheoryData<string, short>();
        foreach (var type in MessageFiller.AllMessageTypes())
        {
            var (lowest, highest) = MessageFiller.Versions(type);
            for (var v = lowest; v <= highest; v++)
            {
                data.Add(type.Name, v);
            }
        }
        return data;
    }

    public static TheoryData<string> EveryMessage()
    {
        var data = new TheoryData<string>();
        foreach (var type in MessageFiller.AllMessageTypes())
        {
            data.Add(type.Name);
        }
        return data;
    }

    private static Type TypeOf(string name) => MessageFiller.AllMessageTypes().Single(t => t.Name == name);

    [Theory]
    [MemberData(nameof(EveryMessageAndVersion))]
    public void Filled_message_round_trips_byte_for_byte(string name, short version)
    {
        var type = TypeOf(name);
        var first = MessageCodec.Encode(MessageFiller.Filled(type), version);

        var (decoded, consumed) = MessageCodec.Decode(type, first, version);
        var second = MessageCodec.Encode(decoded, version);

        Assert.Equal(first.Length, consumed);
        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(EveryMessageAndVersion))]
    public void Default_message_round_trips(string name, short version)
    {
        var type = TypeOf(name);
        var message = (Freshet.Protocol.Messages.IMessage)Activator.CreateInstance(type)!;
        byte[] first;
        try
        {
            first = MessageCodec.Encode(message, version);
        }
        catch (InvalidOperationException)
        {
            // A non-nullable field that defaults to null (records) must be set before writing.
            return;
        }
        var (decoded, consumed) = MessageCodec.Decode(type, first, version);
        Assert.Equal(first.Length, consumed);
        Assert.Equal(first, MessageCodec.Encode(decoded, version));
    }

    [Theory]
    [MemberData(nameof(EveryMessage))]
    public void Every_truncation_of_a_valid_encoding_is_malformed(string name)
    {
        var type = TypeOf(name);
        var version = MessageFiller.Versions(type).Highest;
        var bytes = MessageCodec.Encode(MessageFiller.Filled(type), version);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            var error = Xunit.Record.Exception(() => MessageCodec.Decode(type, prefix, version));
            Assert.True(error is MalformedMessageException, $"prefix of {length}/{bytes.Length} bytes gave {error?.GetType().Name ?? "no error"}");
        }
    }
}
