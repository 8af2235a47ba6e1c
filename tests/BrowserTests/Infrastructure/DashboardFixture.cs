using PerfReference.Hosting.Processes;
using System.Net;
using System.Net.Sockets;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PerfReference.Payments.V1;

namespace PerfReference.BrowserTests.Infrastructure;

/// <summary>
/// The whole topology with its Aspire dashboard, started once for every browser test, and one
/// headless Chromium logged in to that dashboard. The dashboard gets free loopback ports and a
/// browser token of our choosing, so it never collides with a developer's own run on 15080.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; Playwright's own browser download is not available here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The name Aspire gives the dashboard's own (hidden) resource.</summary>
    private const string DashboardResource = "aspire-dashboard";

    /// <summary>
    /// The load of the lab's dashboard commands in this run (AppHost configuration LoadLab:Command*):
    /// a few seconds, where a user's click runs 30 s.
    /// </summary>
    public const double LabCommandRate = 10;

    public const int LabCommandSeconds = 4;

    private const string LabCommandWarmup = "1s";

    private AppHostRun? _run;
    private GrpcChannel? _payments;
    private Metadata _paymentsAdminHeaders = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;

    public AppHostRun Run => _run ?? throw new InvalidOperationException("The topology has not started.");

    /// <summary>The dashboard's address, e.g. http://localhost:41234.</summary>
    public Uri DashboardUrl { get; private set; } = null!;

    /// <summary>The token the AppHost generated for this run's dashboard (what its "Login to the dashboard at" line shows).</summary>
    public string BrowserToken { get; private set; } = "";

    public HttpClient Orders { get; private set; } = null!;

    /// <summary>When every resource of the topology was first up and healthy.</summary>
    public DateTime UpSinceUtc { get; private set; }

    public OrdersClient OrdersApi => new(Orders);

    /// <summary>The logged-in browser session every test opens its pages in.</summary>
    public IBrowserContext Browser => _context ?? throw new InvalidOperationException("The browser has not started.");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/prerequisites.sh, which installs Debian's chromium package.");
        }

        _run = await AppHostRun.StartAsync(ScratchDirectory.Create("browser"),
            (options, _) =>
            {
                options.DisableDashboard = false;
                options.AllowUnsecuredTransport = true; // plain http on loopback: no development certificate needed
            },
            ct,
            $"ASPNETCORE_URLS=http://localhost:{FreePort()}",
            $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{FreePort()}",
            $"ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:{FreePort()}",
            "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            string.Create(CultureInfo.InvariantCulture, $"LoadLab:CommandRate={LabCommandRate}"),
            $"LoadLab:CommandDuration={LabCommandSeconds}s",
            $"LoadLab:CommandWarmup={LabCommandWarmup}");
        await _run.WaitUntilUpAsync(TimeSpan.FromMinutes(3), ct);
        UpSinceUtc = DateTime.UtcNow;

        // The testing builder puts a proxy with a random port in front of the dashboard, as in front of every endpoint.
        DashboardUrl = _run.App.GetEndpoint(DashboardResource, "http");
        BrowserToken = _run.App.Services.GetRequiredService<IConfiguration>()["AppHost:BrowserToken"]
            ?? throw new InvalidOperationException("The AppHost has no dashboard browser token.");
        await WaitForDashboardAsync(ct);

        Orders = _run.App.CreateHttpClient("orders");
        Orders.Timeout = TimeSpan.FromMinutes(2);
        _payments = GrpcChannel.ForAddress(_run.App.GetEndpoint("payments", "grpc"));
        _paymentsAdminHeaders = await PaymentsAdminKey.HeadersAsync(_run, ct);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox"], // the tests run as root, where Chromium's sandbox cannot start
        });
        _context = await _browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1280, Height = 800 },
            BaseURL = DashboardUrl.ToString(),
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        // Telemetry reaches the dashboard in batches (Redis spans every few seconds), on a busy 2-core machine.
        _context.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    /// <summary>The display name of the lab's dashboard command for a scenario, as this run configured it.</summary>
    public static string LabCommandName(string scenario) =>
        string.Create(CultureInfo.InvariantCulture, $"Run {scenario} ({LabCommandRate} rps, {LabCommandSeconds} s)");

    /// <summary>The run's secrets that no log, span or stored file may hold, by what they are.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SecretsAsync(CancellationToken ct) => new Dictionary<string, string>
    {
        ["the payment provider's admin key"] = await ParameterAsync(PaymentsAdminKey.ParameterName, ct),
        ["the PostgreSQL password"] = await ParameterAsync("postgres-password", ct),
    };

    /// <summary>The key of the dashboard's telemetry API, which the AppHost generated and handed the load lab.</summary>
    public string DashboardApiKey => Run.App.Services.GetRequiredService<IConfiguration>()["AppHost:DashboardApiKey"]
        ?? throw new InvalidOperationException("The AppHost gave its dashboard no API key.");

    private async Task<string> ParameterAsync(string name, CancellationToken ct) =>
        await Run.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == name).GetValueAsync(ct) ?? throw new InvalidOperationException($"No {name}.");

    /// <summary>The payment provider's behaviour (latency, faults, outage) as its admin service reports it.</summary>
    public Task<ProviderBehaviour> GetPaymentsBehaviourAsync(CancellationToken ct) => GetPaymentsBehaviourAsync(_paymentsAdminHeaders, ct);

    /// <summary>The same, with the headers given (a test of the admin key's check sends none).</summary>
    public async Task<ProviderBehaviour> GetPaymentsBehaviourAsync(Metadata headers, CancellationToken ct) =>
        await new PaymentProviderAdmin.PaymentProviderAdminClient(_payments!)
            .GetBehaviourAsync(new GetBehaviourRequest(), headers, cancellationToken: ct);

    /// <summary>Changes the payment provider's behaviour through its admin service.</summary>
    public async Task SetPaymentsBehaviourAsync(ProviderBehaviour behaviour, CancellationToken ct) =>
        await new PaymentProviderAdmin.PaymentProviderAdminClient(_payments!)
            .SetBehaviourAsync(behaviour, _paymentsAdminHeaders, cancellationToken: ct);

    private async Task WaitForDashboardAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = DashboardUrl, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/login", ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The dashboard did not answer at {DashboardUrl} within a minute. Resource states: {Run.DescribeStates()}");
            }

            await Task.Delay(500, ct);
        }
    }

    /// <summary>A free TCP port on loopback (free now; the dashboard binds it a moment later).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Orders?.Dispose();
        _payments?.Dispose();
        if (_run is not null)
        {
            await _run.DisposeAsync();
            Directory.Delete(_run.StateDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
[TestClassOrderer(typeof(WalkthroughOrder))]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
