using System.Diagnostics.CodeAnalysis;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Requests;

/// <summary>The handler table, indexed by api key; it also answers what ApiVersions advertises.</summary>
internal sealed class HandlerRegistry
{
    private readonly IApiHandler?[] _byKey;

    public HandlerRegistry(IEnumerable<IApiHandler> handlers)
    {
        var list = handlers.ToList();
        _byKey = new IApiHandler?[list.Count == 0 ? 1 : list.Max(h => (int)h.Key) + 1];
        foreach (var handler in list)
        {
            if (_byKey[(int)handler.Key] is not null)
            {
                throw new InvalidOperationException($"Two handlers registered for {handler.Key}.");
            }
            _byKey[(int)handler.Key] = handler;
        }
        Handlers = list.OrderBy(h => (int)h.Key).ToArray();
    }

    /// <summary>Every handler in api key order.</summary>
    public IReadOnlyList<IApiHandler> Handlers { get; }

    public bool TryGet(short apiKey, [NotNullWhen(true)] out IApiHandler? handler)
    {
        handler = apiKey >= 0 && apiKey < _byKey.Length ? _byKey[apiKey] : null;
        return handler is not null;
    }

    public IApiHandler Get(ApiKey key) =>
        TryGet((short)key, out var handler) ? handler : throw new InvalidOperationException($"No handler for {key}.");
}
