namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>A fact that needs <see cref="NetworkNamespaces"/>: skipped, with the reason, where they are not available.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    public NetworkNamespaceFactAttribute()
    {
        if (NetworkNamespaces.UnavailableReason is { } reason)
            Skip = "Network namespaces are not available: " + reason;
    }
}
