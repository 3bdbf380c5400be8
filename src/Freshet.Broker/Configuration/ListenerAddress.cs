using System.Globalization;

namespace Freshet.Broker.Configuration;

/// <summary>
/// One entry of Kafka's <c>listeners</c> / <c>advertised.listeners</c>: <c>PLAINTEXT://host:port</c>,
/// or just <c>host:port</c>. An empty host means every interface; IPv6 hosts are in brackets.
/// </summary>
public sealed record ListenerAddress(string SecurityProtocol, string Host, int Port)
{
    public const string Plaintext = "PLAINTEXT";

    /// <summary>The listener name of the controller endpoint (controller.listener.names).</summary>
    public const string Controller = "CONTROLLER";

    private static readonly string[] KnownProtocols = [Plaintext, "SSL", "SASL_PLAINTEXT", "SASL_SSL"];

    /// <summary>Parses a listener list that must hold exactly one PLAINTEXT listener.</summary>
    public static ListenerAddress ParseSingle(string propertyName, string value, bool allowPortZero)
    {
        var items = ConfigRule.SplitList(value);
        if (items.Count != 1)
            throw new ConfigException(propertyName, value, "expected exactly one listener; Freshet serves one PLAINTEXT listener");
        return Parse(propertyName, items[0], allowPortZero);
    }

    /// <summary>
    /// Parses <c>listeners</c>: one PLAINTEXT listener for clients and brokers, and at most one CONTROLLER
    /// listener, the controller quorum's endpoint.
    /// </summary>
    public static (ListenerAddress Client, ListenerAddress? Controller) ParseBrokerAndController(string propertyName, string value)
    {
        ListenerAddress? client = null;
        ListenerAddress? controller = null;
        foreach (var item in ConfigRule.SplitList(value))
        {
            if (item.Trim().StartsWith(Controller + "://", StringComparison.OrdinalIgnoreCase))
            {
                if (controller is not null)
                    throw new ConfigException(propertyName, value, "expected at most one CONTROLLER listener");
                var plain = Parse(propertyName, item.Trim()[(Controller.Length + 3)..], allowPortZero: true);
                controller = plain with { SecurityProtocol = Controller };
                continue;
            }
            if (client is not null)
                throw new ConfigException(propertyName, value, "expected exactly one PLAINTEXT listener (and optionally one CONTROLLER listener)");
            client = Parse(propertyName, item, allowPortZero: true);
        }
        return client is null
            ? throw new ConfigException(propertyName, value, "expected a PLAINTEXT listener, like PLAINTEXT://127.0.0.1:9092")
            : (client, controller);
    }

    public static ListenerAddress Parse(string propertyName, string value, bool allowPortZero)
    {
        var text = value.Trim();
        var protocol = Plaintext;
        var sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep >= 0)
        {
            protocol = text[..sep].ToUpperInvariant();
            text = text[(sep + 3)..];
            if (protocol != Plaintext)
            {
                var why = Array.IndexOf(KnownProtocols, protocol) >= 0
                    ? $"listener protocol {protocol} is not supported yet; use PLAINTEXT"
                    : $"unknown listener protocol '{value.Trim()[..sep]}'; use PLAINTEXT://host:port";
                throw new ConfigException(propertyName, value, why);
            }
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
            throw new ConfigException(propertyName, value, "expected PLAINTEXT://host:port");
        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal))
            throw new ConfigException(propertyName, value, "expected an IPv6 host in brackets, like PLAINTEXT://[::1]:9092");

        var minPort = allowPortZero ? 0 : 1;
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < minPort || port > 65535)
            throw new ConfigException(propertyName, value, $"expected a port between {minPort} and 65535");

        return new ListenerAddress(protocol, host.Length == 0 ? "0.0.0.0" : host, port);
    }

    public static string Format(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";

    public override string ToString() => $"{SecurityProtocol}://{Format(Host, Port)}";
}
