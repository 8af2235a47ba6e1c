using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Scenarios;

/// <summary>
/// How each scenario prepares its data and builds its requests — the HTTP contract of OrdersService
/// (see src/OrdersService/Apis). Setup requests run optimized: they prepare, they are not measured.
/// </summary>
public static class ScenarioSetups
{
    /// <summary>The seed lesson's order: 200 lines.</summary>
    public const int LargeOrderLines = 200;

    /// <summary>OrdersService's largest page (Orders/Page.cs PageRequest.MaxPageSize): larger lists are paged through.</summary>
    public const int MaxPageSize = 100;

    /// <summary>
    /// The size of the compression scenario's statement as the naive serialization writes it (about 95 kB): where bandwidth
    /// decides — half a second at a mobile client's 1.5 Mbit/s, against the 19 kB of a product page, which hardly feels 10 Mbit/s.
    /// </summary>
    public const int StatementBytes = 95_000;

    /// <summary>
    /// Whose statement the compression scenario reads: the first customer past the lab's own (its checkouts and drills order
    /// for customers 1..<see cref="Customers"/>), so that nothing else the lab does grows it between runs. The tiny data set
    /// has none; then the last of the lab's, while its statement is not yet far past the size (<see cref="MostFallbackStatementBytes"/>).
    /// </summary>
    public const long StatementCustomer = Customers + 1;

    /// <summary>The first of the customers whose statements the serialization scenario reads (see <see cref="ReadStatements"/>).</summary>
    public const long StatementReadersFrom = 201;

    /// <summary>Lines of each order the setup places to bring the statement up to <see cref="StatementBytes"/>.</summary>
    public const int StatementOrderLines = 20;

    /// <summary>More orders than this and the statement would be far from the size it is meant to have: the setup stops.</summary>
    private const int MaxStatementOrders = 50;

    public const int Customers = 100;
    public const int ProfileIds = 50;

    public static async Task<PreparedScenario> ReadLargeOrder(HttpClient http, CancellationToken ct)
    {
        var products = await ProductIdsAsync(http, LargeOrderLines, ct);
        using var place = Checkout(customerId: 1, products, $"lab-{PerfCatalog.NPlusOneDb.Id}-{products.Count}");
        place.Headers.Add(PerfSelection.HeaderName, Variant.Optimized.Header);
        using var response = await http.SendAsync(place, ct);
        await EnsureSuccessAsync(response, "placing the order to read", ct);
        using var order = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var orderId = order.RootElement.GetProperty("id").GetInt64();

        return new PreparedScenario(
            _ => new HttpRequestMessage(HttpMethod.Get, $"api/orders/{orderId}"),
            $"order {orderId} with {products.Count} lines{Shortfall(products.Count, LargeOrderLines)}");
    }

    public static Task<PreparedScenario> ReadProfiles(HttpClient http, CancellationToken ct)
    {
        var ids = string.Join(',', Enumerable.Range(1, ProfileIds));
        return Task.FromResult(new PreparedScenario(
            _ => new HttpRequestMessage(HttpMethod.Get, $"api/customers/profiles?ids={ids}"),
            $"customers 1..{ProfileIds}"));
    }

    public static async Task<PreparedScenario> SmallCheckout(HttpClient http, CancellationToken ct)
    {
        var products = await ProductIdsAsync(http, 2, ct);
        var run = RunToken();
        return new PreparedScenario(
            i => Checkout(CustomerOf(i), products, $"lab-{run}-{i}"),
            $"orders of products {string.Join(", ", products)}, customers 1..{Customers}") { WorkingSet = Customers };
    }

    /// <summary>
    /// The serialization scenario: the statements of a hundred customers whose orders nothing else the lab places — past its
    /// own (1..<see cref="Customers"/>, whose orders its checkouts and drills grow, so that on a data set that has served many
    /// runs their statements had grown to megabytes) and the compression scenario's — so each run reads the same statements.
    /// The tiny data set has no such customers; then the lab's own, and the setup says that they grow between runs — but only
    /// while their statements are still near the size a fresh data set gives them (<see cref="MostFallbackStatementBytes"/>):
    /// on a data set that has served many runs they are megabytes, and a run would measure the lab's history, not the fix.
    /// </summary>
    public static async Task<PreparedScenario> ReadStatements(HttpClient http, CancellationToken ct)
    {
        var last = StatementReadersFrom + Customers - 1;
        var ownCustomers = await NaiveStatementAsync(http, last, ct) is null;
        if (ownCustomers)
        {
            await LabsOwnStatementAsync(http, $"customers {StatementReadersFrom}..{last}", ct);
        }

        var first = ownCustomers ? 1 : StatementReadersFrom;
        return new PreparedScenario(
            i => new HttpRequestMessage(HttpMethod.Get, $"api/customers/{first + i % Customers}/statement"),
            ownCustomers
                ? $"customers 1..{Customers} (this data set has no customer {last}: the lab's checkouts grow these statements between runs)"
                : $"customers {first}..{last}") { WorkingSet = Customers };
    }

    /// <summary>
    /// The most a statement of the lab's own customers may be for a statement scenario to read it on a data set without
    /// customers of its own: a few times the compression scenario's <see cref="StatementBytes"/>. The lab's checkouts order for
    /// these customers, so their statements grow with every run; past this they measure the lab's history.
    /// </summary>
    public const int MostFallbackStatementBytes = 4 * StatementBytes;

    /// <summary>
    /// The statement of the last of the lab's own customers, which a statement scenario reads when this data set lacks
    /// <paramref name="missing"/>; refused, saying what to load, when there is none or the lab's orders have grown it too far.
    /// </summary>
    private static async Task<(int Bytes, int Orders)> LabsOwnStatementAsync(HttpClient http, string missing, CancellationToken ct)
    {
        var statement = await NaiveStatementAsync(http, Customers, ct)
            ?? throw new ScenarioSetupException($"Customer {Customers} does not exist: has the migrations resource loaded the data set?");
        return statement.Bytes <= MostFallbackStatementBytes
            ? statement
            : throw new ScenarioSetupException(
                $"This data set has no {missing}, whose statements nothing else the lab grows, and customer {Customers}'s statement, which " +
                $"the scenario would read instead, has grown to {statement.Bytes:N0} bytes with the lab's own orders (more than {MostFallbackStatementBytes:N0}): " +
                "a run would measure the lab's history. Load the default data set first: start the `seed` resource from the dashboard " +
                "(or `dotnet aspire resource seed start`), as `bash scripts/measure-all.sh` does.");
    }

    /// <summary>
    /// The compression scenario: one customer's statement (<see cref="StatementCustomer"/>), as a client that accepts Brotli
    /// and gzip reads it. Both variants serialize it naive (the entity graph, ~95 kB): the only difference between them is
    /// the compression of what goes on the wire. The setup brings the statement up to <see cref="StatementBytes"/> with
    /// orders of its own under fixed Idempotency-Keys, so a later run replays them and reads the same statement; they
    /// are paid before the checkout answers (blocking payment calls), so the statement does not change during the run.
    /// </summary>
    public static async Task<PreparedScenario> ReadLargeStatement(HttpClient http, CancellationToken ct)
    {
        var (customer, statement) = await NaiveStatementAsync(http, StatementCustomer, ct) is { } own
            ? (StatementCustomer, own)
            : (Customers, await LabsOwnStatementAsync(http, $"customer {StatementCustomer}", ct));
        IReadOnlyList<long> products = [];
        var placed = 0;
        for (var k = 1; statement.Bytes < StatementBytes; k++)
        {
            if (k > MaxStatementOrders)
            {
                throw new ScenarioSetupException($"{MaxStatementOrders} orders did not bring customer {customer}'s statement to {StatementBytes:N0} bytes ({statement.Bytes:N0}).");
            }

            products = products.Count > 0 ? products : await ProductIdsAsync(http, StatementOrderLines, ct);
            using var place = Checkout(customer, products, $"lab-{PerfCatalog.Compression.Id}-{customer}-{k}");
            place.Headers.Add(PerfSelection.HeaderName, Variant.HeaderOf(PerfVariant.Optimized, [(PerfCatalog.PaymentAsync, PerfVariant.Naive), (PerfCatalog.PaymentDeferred, PerfVariant.Naive)]));
            using var response = await http.SendAsync(place, ct);
            await EnsureSuccessAsync(response, "placing an order for the statement", ct);
            placed += response.Headers.Contains("Idempotent-Replayed") ? 0 : 1;
            statement = await NaiveStatementAsync(http, customer, ct) ?? throw new ScenarioSetupException($"Customer {customer} disappeared during the setup.");
        }

        var whose = customer == StatementCustomer
            ? $"customer {customer}'s statement"
            : $"customer {customer}'s statement (this data set has no customer {StatementCustomer}: the lab's checkouts grow this one between runs)";
        return new PreparedScenario(
            _ =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"api/customers/{customer}/statement");
                request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
                return request;
            },
            $"{whose}: {statement.Orders} orders, {statement.Bytes:N0} bytes as the naive serialization writes it{(placed > 0 ? $" ({placed} orders of {StatementOrderLines} lines placed by this setup)" : "")}; " +
            "bytes counted as sent (compressed when the server compresses)");
    }

    /// <summary>A customer's statement as the naive serialization writes it, uncompressed: its size and orders; null when there is no such customer.</summary>
    private static async Task<(int Bytes, int Orders)?> NaiveStatementAsync(HttpClient http, long customer, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/customers/{customer}/statement");
        request.Headers.Add(PerfSelection.HeaderName, Variant.Naive.Header);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "reading a statement", ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        using var json = JsonDocument.Parse(body);
        return (body.Length, json.RootElement.GetProperty("orders").GetArrayLength());
    }

    public static async Task<PreparedScenario> LargeCheckout(HttpClient http, CancellationToken ct)
    {
        var products = await ProductIdsAsync(http, LargeOrderLines, ct);
        var run = RunToken();
        return new PreparedScenario(
            i => Checkout(CustomerOf(i), products, $"lab-{run}-{i}"),
            $"orders of {products.Count} lines{Shortfall(products.Count, LargeOrderLines)}, customers 1..{Customers}") { WorkingSet = Customers };
    }

    /// <summary>The customer whose profile the grain-read-only scenario reads while the companion load records its orders.</summary>
    public const long HotCustomer = 1;

    /// <summary>
    /// One hot customer's profile, read while the same customer's orders are recorded (the companion load): checkouts of one
    /// line, a new Idempotency-Key each, whose payment is authorised before they answer, so that each one's credit to the
    /// customer's grain — and the grain's storage write — happens on its request path, paced as the writes are sent.
    /// </summary>
    public static async Task<PreparedScenario> ReadHotCustomer(HttpClient http, CancellationToken ct)
    {
        var product = await ProductIdsAsync(http, 1, ct);
        var run = RunToken();
        var writes = Variant.OnlyNaive(PerfCatalog.PaymentDeferred);
        return new PreparedScenario(
            _ => new HttpRequestMessage(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"api/customers/{HotCustomer}")),
            $"customer {HotCustomer}'s profile, while orders of product {product[0]} for that customer are placed beside the reads (X-Perf-Variant: {writes.Header})")
        {
            Companion = new CompanionRequests(
                $"POST /api/orders of one line for customer {HotCustomer}, a new Idempotency-Key each",
                new Variant(CompanionRequests.Label, writes.Header),
                i => Checkout(HotCustomer, product, $"lab-{run}-write-{i}")),
        };
    }

    /// <summary>What the first users after a deploy ask for: products (a cache) and customers (grains), alternately.</summary>
    public static async Task<PreparedScenario> ReadAfterColdStart(HttpClient http, CancellationToken ct)
    {
        var products = await ProductIdsAsync(http, LargeOrderLines, ct);
        return new PreparedScenario(
            i => new HttpRequestMessage(HttpMethod.Get, i % 2 == 0
                ? $"api/products/{products[(int)(i / 2 % products.Count)]}"
                : $"api/customers/{CustomerOf(i / 2)}"),
            $"products {products[0]}..{products[^1]} ({products.Count}) and customers 1..{Customers}, after a cold start per variant");
    }

    /// <summary>A deploy's effect on the caches (emptied product cache, deactivated grains), warmed first when the variant says so.</summary>
    public static async Task ColdStartAsync(HttpClient http, Variant variant, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/diagnostics/cold-start");
        request.Headers.Add(PerfSelection.HeaderName, variant.Header);
        request.Headers.Add(PerfTags.EntryHeader, PerfCatalog.CacheWarming.Id);
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, "the cold start", ct);
    }

    /// <summary>Orders whose payment status the threadpool-starvation scenario reads (each read costs the provider's look-up, 200 ms by default).</summary>
    public const int PaymentStatusOrders = 20;

    /// <summary>Orders with an authorised payment (placed with the async authorisation), then their payment status read in turn.</summary>
    public static async Task<PreparedScenario> ReadPaymentStatus(HttpClient http, CancellationToken ct)
    {
        var products = await ProductIdsAsync(http, 2, ct);
        var run = RunToken();
        var orders = await Task.WhenAll(Enumerable.Range(0, PaymentStatusOrders).Select(async i =>
        {
            using var place = Checkout(CustomerOf(i), products, $"lab-{PerfCatalog.ThreadPoolStarvation.Id}-{run}-{i}");
            place.Headers.Add(PerfSelection.HeaderName, Variant.OnlyOptimized(PerfCatalog.PaymentAsync).Header);
            using var response = await http.SendAsync(place, ct);
            await EnsureSuccessAsync(response, "placing an order whose payment to read", ct);
            using var order = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return order.RootElement.GetProperty("id").GetInt64();
        }));

        return new PreparedScenario(
            i => new HttpRequestMessage(HttpMethod.Get, $"api/orders/{orders[i % orders.Length]}/payment"),
            $"the payments of {orders.Length} orders ({orders.Min()}..{orders.Max()}), each read a PostgreSQL query and a provider look-up (200 ms by default)");
    }

    /// <summary>Products whose stock the lock-contention scenario reserves: one hot product takes every other reservation.</summary>
    public const int ReservedProducts = 10;

    /// <summary>Enough stock that no run sells out (a refusal would be a 409, an error of the run).</summary>
    public const int RestockUnits = 100_000_000;

    public static async Task<PreparedScenario> ReserveStock(HttpClient http, CancellationToken ct)
    {
        var products = await ProductIdsAsync(http, ReservedProducts, ct);
        foreach (var product in products)
        {
            using var restock = new HttpRequestMessage(HttpMethod.Put, $"api/products/{product}/stock")
            {
                Content = JsonContent.Create(new StockBody(RestockUnits), ScenarioJsonContext.Default.StockBody),
            };
            restock.Headers.Add(PerfSelection.HeaderName, Variant.Optimized.Header);
            using var response = await http.SendAsync(restock, ct);
            await EnsureSuccessAsync(response, "restocking a product", ct);
        }

        return new PreparedScenario(
            i => new HttpRequestMessage(HttpMethod.Post, $"api/products/{(i % 2 == 0 ? products[0] : products[1 + (int)(i / 2 % (products.Count - 1))])}/reservations")
            {
                Content = JsonContent.Create(new ReservationBody(1), ScenarioJsonContext.Default.ReservationBody),
            },
            $"one unit of product {products[0]} (every other request: the hot product) or of products {products[1]}..{products[^1]}, each restocked to {RestockUnits:N0}");
    }

    /// <summary>
    /// Catalog pages with a cache-buster, as a browser client sends them (<c>_=&lt;time&gt;</c>): every
    /// request is a new key of the in-process page cache. Pages 1..3 of 100 products: real pages, not empty ones.
    /// </summary>
    public static Task<PreparedScenario> BrowseCatalogPages(HttpClient http, CancellationToken ct)
    {
        var run = RunToken();
        return Task.FromResult(new PreparedScenario(
            i => new HttpRequestMessage(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"api/products/pages?pageSize=100&page={1 + i % 3}&_={run}{i}")),
            "catalog pages 1..3 of 100 products, each request with its own cache-buster (a new cache key)"));
    }

    /// <summary>A phase that starts from whatever the previous one left: what a long-running process meets.</summary>
    public static Task NothingToReset(HttpClient http, Variant variant, CancellationToken ct) => Task.CompletedTask;

    /// <summary>OrdersService's live heap in MB, after the full collection it is asked for (POST /api/diagnostics/full-gc).</summary>
    public static async Task<double> OrdersLiveHeapAsync(HttpClient http, CancellationToken ct)
    {
        using var response = await http.PostAsync("api/diagnostics/full-gc", content: null, ct);
        await EnsureSuccessAsync(response, "the full collection", ct);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return Math.Round(report.RootElement.GetProperty("liveHeapBytes").GetInt64() / (1024.0 * 1024), 1);
    }

    /// <summary>Customers cycle 1..100 so no single customer grain becomes a hot spot.</summary>
    private static long CustomerOf(long i) => 1 + (i % Customers);

    private static string RunToken() => Guid.NewGuid().ToString("N")[..12];

    private static string Shortfall(int got, int wanted) =>
        got < wanted ? $" (only {got} products exist; load the full data set for {wanted})" : "";

    private static HttpRequestMessage Checkout(long customerId, IReadOnlyList<long> products, string idempotencyKey)
    {
        var body = new CheckoutBody(customerId, products.Select(id => new CheckoutBodyLine(id, 1)).ToArray());
        var request = new HttpRequestMessage(HttpMethod.Post, "api/orders")
        {
            Content = JsonContent.Create(body, ScenarioJsonContext.Default.CheckoutBody),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    /// <summary>The first <paramref name="count"/> product ids, paged through at the service's largest page size.</summary>
    public static async Task<IReadOnlyList<long>> ProductIdsAsync(HttpClient http, int count, CancellationToken ct)
    {
        var ids = new List<long>(count);
        for (var page = 1; ids.Count < count; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"api/products?page={page}&pageSize={MaxPageSize}"));
            request.Headers.Add(PerfSelection.HeaderName, Variant.Optimized.Header);
            using var response = await http.SendAsync(request, ct);
            await EnsureSuccessAsync(response, "listing products", ct);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var items = json.RootElement.GetProperty("items");
            ids.AddRange(items.EnumerateArray().Select(item => item.GetProperty("id").GetInt64()).Take(count - ids.Count));
            if (items.GetArrayLength() < MaxPageSize)
            {
                break;
            }
        }

        return ids.Count > 0 ? ids : throw new ScenarioSetupException("The product catalog is empty: has the migrations resource loaded the data set?");
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new ScenarioSetupException($"Setup failed {what}: {(int)response.StatusCode} {response.ReasonPhrase} {body}".Trim());
        }
    }
}

public sealed record CheckoutBody(long CustomerId, IReadOnlyList<CheckoutBodyLine> Lines);

public sealed record CheckoutBodyLine(long ProductId, int Quantity);

public sealed record ReservationBody(int Quantity);

public sealed record StockBody(int Units);

/// <summary>The bodies the scenarios send, source-generated (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CheckoutBody))]
[JsonSerializable(typeof(ReservationBody))]
[JsonSerializable(typeof(StockBody))]
public sealed partial class ScenarioJsonContext : JsonSerializerContext;

public sealed class ScenarioSetupException(string message) : Exception(message);
