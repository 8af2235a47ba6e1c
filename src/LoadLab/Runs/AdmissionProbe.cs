using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Runs;

/// <summary>Asks OrdersService how it admits requests (<see cref="LabAdmission.StatePath"/>), for the result files that depend on it.</summary>
public static class AdmissionProbe
{
    /// <summary>Its admission control, or null when it does not say: a service in production mode maps no diagnostics.</summary>
    public static async Task<AdmissionState?> ReadAsync(HttpClient orders, CancellationToken ct)
    {
        try
        {
            using var response = await orders.GetAsync(LabAdmission.StatePath, ct);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(AdmissionJsonContext.Default.AdmissionState, ct) : null;
        }
        catch (Exception error) when (error is HttpRequestException or JsonException || (error is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AdmissionState))]
internal sealed partial class AdmissionJsonContext : JsonSerializerContext;
