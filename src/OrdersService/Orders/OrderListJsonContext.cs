using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfReference.OrdersService.Orders;

/// <summary>
/// The listing's JSON, for the export's two variants alike (so their bytes are the same, and the difference between
/// them is only when the bytes are produced): the API's web defaults and string enums.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<OrderListItem>))]
[JsonSerializable(typeof(IAsyncEnumerable<OrderListItem>))]
public sealed partial class OrderListJsonContext : JsonSerializerContext;
