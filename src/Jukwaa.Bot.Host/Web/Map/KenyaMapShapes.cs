using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Jukwaa.Bot.Host.Web.Map;

/// <summary>One county on the map: <paramref name="Shade"/> 0..4 is its legend class; null means outside the officer's scope (grey, not a link). <paramref name="Label"/> is what a screen reader and a tooltip say.</summary>
public sealed record MapCounty(string Code, string Name, int? Shade, string Label, string? Href)
{
    /// <summary>A grade's shade on every map (console and public): the darker, the further behind; no data the lightest.</summary>
    public static int GradeShade(Core.Scorecards.Grade grade) => grade switch
    {
        Core.Scorecards.Grade.Surpassed => 1, Core.Scorecards.Grade.OnTrack => 2, Core.Scorecards.Grade.Behind => 4, _ => 0,
    };
}

/// <summary>
/// The 47 county outlines (Web/Map/kenya-counties.geojson, built into the host) as SVG paths: longitude
/// and latitude projected equirectangularly, x scaled by the cosine of the middle latitude, y down,
/// rounded to 0.1 unit. Read once per process; every map drawn shares it.
/// </summary>
public sealed class KenyaMapShapes
{
    public const string ResourceName = "kenya-counties.geojson";

    /// <summary>SVG units per degree of latitude: Kenya comes out about 400 × 470.</summary>
    private const double Scale = 50, Margin = 2;

    private static readonly Lazy<KenyaMapShapes> s_shapes = new(() =>
    {
        using var stream = typeof(KenyaMapShapes).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not built into the host (EmbeddedResource in Jukwaa.Bot.Host.csproj); the county map cannot be drawn.");
        return Read(stream);
    });

    /// <summary>The shapes built into the host.</summary>
    public static KenyaMapShapes Kenya => s_shapes.Value;

    private KenyaMapShapes(double width, double height, string attribution, IReadOnlyDictionary<string, string> paths)
    {
        Width = width;
        Height = height;
        Attribution = attribution;
        Paths = paths;
    }

    public double Width { get; }

    public double Height { get; }

    /// <summary>"0 0 width height": every path lies inside it.</summary>
    public string ViewBox => $"0 0 {Number(Width)} {Number(Height)}";

    /// <summary>The data's licence line (OpenStreetMap, ODbL): shown wherever the map is drawn.</summary>
    public string Attribution { get; }

    /// <summary>SVG path data per county code ("001".."047").</summary>
    public IReadOnlyDictionary<string, string> Paths { get; }

    /// <summary>Reads a GeoJSON FeatureCollection of MultiPolygons with a <c>code</c> property and a top-level <c>attribution</c>.</summary>
    public static KenyaMapShapes Read(Stream geojson)
    {
        using var document = JsonDocument.Parse(geojson);
        var root = document.RootElement;
        var attribution = root.TryGetProperty("attribution", out var a) && a.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(a.GetString())
            ? a.GetString()!
            : throw Bad("it has no top-level \"attribution\" string, which the map must show");
        if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            throw Bad("it has no \"features\" array");

        var counties = new List<(string Code, List<List<(double Lon, double Lat)>> Rings)>();
        foreach (var feature in features.EnumerateArray())
        {
            var code = feature.TryGetProperty("properties", out var p) && p.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String
                ? c.GetString()!
                : throw Bad($"feature {counties.Count + 1} has no properties.code");
            if (!feature.TryGetProperty("geometry", out var geometry) || !geometry.TryGetProperty("type", out var type) || type.GetString() != "MultiPolygon"
                || !geometry.TryGetProperty("coordinates", out var coordinates))
                throw Bad($"county {code} is not a MultiPolygon");
            if (counties.Any(k => k.Code == code))
                throw Bad($"county {code} appears twice");
            var rings = coordinates.EnumerateArray().SelectMany(polygon => polygon.EnumerateArray())
                .Select(ring => ring.EnumerateArray().Select(point => (point[0].GetDouble(), point[1].GetDouble())).ToList())
                .Where(ring => ring.Count >= 3)
                .ToList();
            if (rings.Count == 0)
                throw Bad($"county {code} has no outline");
            counties.Add((code, rings));
        }
        if (counties.Count == 0)
            throw Bad("it has no counties");

        var points = counties.SelectMany(k => k.Rings).SelectMany(r => r).ToList();
        double west = points.Min(q => q.Lon), east = points.Max(q => q.Lon), south = points.Min(q => q.Lat), north = points.Max(q => q.Lat);
        var xScale = Scale * Math.Cos((north + south) / 2 * Math.PI / 180);
        double X(double lon) => Math.Round(Margin + ((lon - west) * xScale), 1);
        double Y(double lat) => Math.Round(Margin + ((north - lat) * Scale), 1);

        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, rings) in counties)
        {
            var d = new StringBuilder();
            foreach (var ring in rings)
            {
                // GeoJSON repeats the first point at the end; Z closes the ring instead.
                var count = ring[0] == ring[^1] ? ring.Count - 1 : ring.Count;
                d.Append('M');
                for (var i = 0; i < count; i++)
                {
                    if (i > 0) d.Append(i == 1 ? 'L' : ' ');
                    d.Append(Number(X(ring[i].Lon))).Append(' ').Append(Number(Y(ring[i].Lat)));
                }
                d.Append('Z');
            }
            paths.Add(code, d.ToString());
        }
        var width = Math.Round((2 * Margin) + ((east - west) * xScale), 1);
        var height = Math.Round((2 * Margin) + ((north - south) * Scale), 1);
        return new KenyaMapShapes(width, height, attribution, paths);

        static InvalidDataException Bad(string why) => new($"The county map data ({ResourceName}) cannot be read: {why}.");
    }

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
