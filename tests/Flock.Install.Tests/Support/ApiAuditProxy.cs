using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Install.Tests.Support;

/// <summary>One request the operator sent and the status the API server answered.</summary>
internal sealed record AuditEntry(string Method, string Path, string Query, int Status)
{
    public bool IsWrite => Method is not ("GET" or "HEAD");

    public override string ToString() => $"{Method} {Path}{Query} → {Status}";
}

/// <summary>
/// The API server's audit log for one client: a pass-through proxy in front of the sandbox API server that
/// records every request's method, path and response status, and streams bodies (watches) through unchanged.
/// The operator's kubeconfig points here, so what it sees and what is recorded are the same wire.
/// </summary>
internal sealed class ApiAuditProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly ConcurrentQueue<AuditEntry> _entries = new();
    private readonly HttpClient _upstream;
    private readonly string _upstreamUrl;
    private WebApplication? _app;

    private ApiAuditProxy(string upstreamUrl, X509Certificate2 ca)
    {
        _upstreamUrl = upstreamUrl.TrimEnd('/');
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => TrustedBy(ca, cert) },
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        _upstream = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string Url { get; private set; } = "";

    public IReadOnlyList<AuditEntry> Entries => _entries.ToList();

    public IReadOnlyList<AuditEntry> Forbidden => _entries.Where(e => e.Status == 403).ToList();

    public static async Task<ApiAuditProxy> StartAsync(string upstreamUrl, X509Certificate2 ca)
    {
        var proxy = new ApiAuditProxy(upstreamUrl, ca);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MinResponseDataRate = null;
            k.Limits.MinRequestBodyDataRate = null;
            k.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        proxy.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        proxy._app = app;
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        using var upstream = new HttpRequestMessage(new HttpMethod(request.Method), _upstreamUrl + request.Path + request.QueryString);
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            upstream.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (!upstream.Headers.TryAddWithoutValidation(name, values.ToArray())) upstream.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }

        var ct = context.RequestAborted;
        try
        {
            using var response = await _upstream.SendAsync(upstream, HttpCompletionOption.ResponseHeadersRead, ct);
            _entries.Enqueue(new AuditEntry(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", (int)response.StatusCode));
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name)) context.Response.Headers[name] = values.ToArray();
            }

            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                // Flushed per read: a watch event must reach the operator when the API server sends it.
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The operator closed a watch, or the API server went away: the connection simply ends, as it would without a proxy.
            context.Abort();
        }
    }

    private static bool TrustedBy(X509Certificate2 ca, X509Certificate? presented)
    {
        if (presented is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(presented.GetRawCertData()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await _app.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await _app.DisposeAsync();
        }

        _upstream.Dispose();
    }
}
