namespace Freshet.Server.Cli;

/// <summary>What <c>freshet serve</c> was given on the command line, before any validation.</summary>
internal sealed record ServeArguments
{
    public string? ConfigFile { get; init; }

    public string? Listeners { get; init; }

    public string? AdvertisedListeners { get; init; }

    public string? DataDir { get; init; }

    public string? NodeId { get; init; }

    /// <summary>--override key=value, in command-line order.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    public string LogLevel { get; init; } = "information";
}
