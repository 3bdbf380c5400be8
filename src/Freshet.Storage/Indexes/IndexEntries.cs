namespace Freshet.Storage.Indexes;

/// <summary>
/// An append-only array that readers search without a lock: the writer stores the entry (growing into a new
/// array when full) before it publishes the new count, and readers read the count before the array.
/// </summary>
internal sealed class IndexEntries<T>
    where T : struct
{
    private T[] _items = new T[16];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>A consistent view: the first <c>count</c> items of the array are published.</summary>
    public ReadOnlySpan<T> Snapshot()
    {
        var count = Volatile.Read(ref _count);
        var items = Volatile.Read(ref _items);
        return items.AsSpan(0, count);
    }

    public T Last => _items[_count - 1];

    public void Add(T item)
    {
        var count = _count;
        var items = _items;
        if (count == items.Length)
        {
            var grown = new T[items.Length * 2];
            items.AsSpan().CopyTo(grown);
            grown[count] = item;
            Volatile.Write(ref _items, grown);
        }
        else
        {
            items[count] = item;
        }
        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>Only while no reader can see the index (loading and recovery).</summary>
    public void Truncate(int count) => Volatile.Write(ref _count, Math.Min(count, _count));
}
