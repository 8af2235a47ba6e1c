using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfReference.OrdersService.Statements;

/// <summary>
/// The statement's JSON, generated at compile time: no reflection over the types and no metadata
/// built on first use, a serializer written for exactly these properties. Same web defaults and
/// string enums as the API's reflection-based options, so both variants read alike.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CustomerStatement))]
public sealed partial class StatementJsonContext : JsonSerializerContext;
