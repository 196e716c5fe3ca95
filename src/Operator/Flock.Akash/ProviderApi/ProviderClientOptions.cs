namespace Flock.Akash.ProviderApi;

/// <summary>Timeouts of <see cref="ProviderClient"/>.</summary>
/// <param name="RequestTimeout">Whole request, connect to last byte. The provider itself waits up to 120 s for a manifest submit, so the default is longer.</param>
/// <param name="ConnectTimeout">TCP + TLS connect; a provider that does not answer is unreachable, not slow.</param>
/// <param name="MaxLogLines">Upper bound on lines read from the logs socket, whatever tail says (a provider could stream forever).</param>
public sealed record ProviderClientOptions(TimeSpan? RequestTimeout = null, TimeSpan? ConnectTimeout = null, int MaxLogLines = 10_000)
{
    public TimeSpan EffectiveRequestTimeout => RequestTimeout ?? TimeSpan.FromSeconds(150);

    public TimeSpan EffectiveConnectTimeout => ConnectTimeout ?? TimeSpan.FromSeconds(10);
}
