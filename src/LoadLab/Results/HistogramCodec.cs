using HdrHistogram;
using HdrHistogram.Utilities;

namespace PerfReference.LoadLab.Results;

/// <summary>HdrHistogram's compressed encoding, as base64 text for the result file.</summary>
public static class HistogramCodec
{
    public static string Encode(HistogramBase histogram)
    {
        // The buffer writes into the array it is given (its own copy-out is not public).
        var bytes = new byte[histogram.GetNeededByteBufferCapacity()];
        var length = histogram.EncodeIntoCompressedByteBuffer(ByteBuffer.Allocate(bytes));
        return Convert.ToBase64String(bytes, 0, length);
    }

    public static HistogramBase Decode(string base64) =>
        HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(Convert.FromBase64String(base64)), 0);
}
