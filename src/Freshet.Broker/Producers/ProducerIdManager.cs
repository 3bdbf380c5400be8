using System.Globalization;
using Freshet.Storage;

namespace Freshet.Broker.Producers;

/// <summary>
/// Hands out producer ids that never repeat, also across restarts: ids come from blocks of
/// <see cref="BlockSize"/>, and the end of the current block is persisted (temp file, fsync, rename) before the
/// first id of the block is given out, so a restart continues after it. A single-node stand-in for the metadata
/// log's producer-id-block records, kept in the first log dir beside the topic list.
/// </summary>
internal sealed class ProducerIdManager
{
    public const string FileName = "freshet-producer-ids";

    /// <summary>Kafka's controller allocates producer ids in blocks of 1000.</summary>
    public const int BlockSize = 1000;

    private readonly object _lock = new();
    private readonly string _path;
    private long _next;
    private long _blockEnd;

    public ProducerIdManager(string directory)
    {
        _path = Path.Combine(directory, FileName);
        _next = File.Exists(_path) ? Parse(File.ReadAllText(_path)) : 0;
        _blockEnd = _next;
    }

    /// <summary>Thread-safe.</summary>
    /// <exception cref="IOException">The next block could not be persisted.</exception>
    public long NextProducerId()
    {
        lock (_lock)
        {
            if (_next == _blockEnd)
            {
                var end = _blockEnd + BlockSize;
                Write(end);
                _blockEnd = end;
            }
            return _next++;
        }
    }

    private void Write(long blockEnd)
    {
        var temp = _path + LogFileNames.TempSuffix;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(blockEnd.ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
    }

    private long Parse(string text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new InvalidDataException($"{_path} does not hold a producer id block end.");
}
