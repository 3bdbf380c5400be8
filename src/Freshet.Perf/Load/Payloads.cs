namespace Freshet.Perf.Load;

/// <summary>
/// Record values: random bytes of a fixed size (kafka-producer-perf-test's --record-size), or the lines of a
/// payload file taken in turn (its --payload-file). Values are built once and shared by every send.
/// </summary>
public sealed class Payloads
{
    private readonly byte[][] _values;
    private int _next;

    private Payloads(byte[][] values) => _values = values;

    public int Count => _values.Length;

    public static Payloads For(LoadSettings settings) =>
        settings.PayloadFile is { } file ? FromFile(file) : Random(settings.RecordSize);

    public static Payloads Random(int size)
    {
        // Letters, as the Kafka tool uses, so that compression sees text-like data rather than noise.
        var value = new byte[size];
        var random = new Random(42);
        for (var i = 0; i < value.Length; i++)
            value[i] = (byte)('A' + random.Next(26));
        return new Payloads([value]);
    }

    public static Payloads FromFile(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        if (lines.Length == 0)
            throw new ArgumentException($"payload file {path} has no non-empty lines", nameof(path));
        return new Payloads(lines);
    }

    /// <summary>The next value; one caller per instance (each producer thread has its own copy).</summary>
    public byte[] Next()
    {
        var value = _values[_next];
        _next = _next + 1 == _values.Length ? 0 : _next + 1;
        return value;
    }

    public Payloads Copy() => new(_values);
}
