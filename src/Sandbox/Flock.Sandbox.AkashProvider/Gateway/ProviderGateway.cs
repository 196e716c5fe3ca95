using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// The provider's HTTPS listener on 127.0.0.1 (Kestrel): TLS 1.3 only, as the Go gateway; its server certificate is
/// the one published on chain (or an impostor when the fault says so); client certificates are requested, not
/// required, and checked against the chain during the handshake. Stopping it leaves nothing listening on the port
/// (connection refused); starting again reuses the port so the on-chain host_uri stays right.
/// </summary>
internal sealed class ProviderGateway(ProviderContext p, X509Certificate2 published, X509Certificate2 impostor) : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private WebApplication? _app;

    public int Port { get; private set; }

    public bool IsListening => _app is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_app is not null)
            {
                return;
            }

            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    _app = await ListenAsync(Port, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (IOException) when (Port != 0 && attempt < 50)
                {
                    // The port was only just released by a stop; give the OS a moment.
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task StopAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_app is null)
            {
                return;
            }

            using (var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
            {
                try
                {
                    await _app.StopAsync(quick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Connections in flight are cut: that is what a provider going down does.
                }
            }

            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _lock.Dispose();
    }

    private async Task<WebApplication> ListenAsync(int port, CancellationToken cancellationToken)
    {
        var check = new ClientCertificateCheck(p);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificateSelector = (_, _) => p.Faults.PresentUnpublishedCertificate ? impostor : published,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (certificate, _, _) => check.IsValid(certificate),
                    SslProtocols = SslProtocols.Tls13,
                    CheckCertificateRevocation = false,
                });
            });
        });
        var app = builder.Build();
        app.UseWebSockets();
        var router = new GatewayRouter(p, new GatewayAuth(p), new ManifestEndpoint(p), new LeaseEndpoints(p), new ProviderStatusEndpoint(p));
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return app;
    }
}
