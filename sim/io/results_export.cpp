#include "io/results_export.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "io/csv.hpp"
#include "io/results_writer.hpp"
#include "world/organisation_kind.hpp"

namespace clusternet::io {

namespace {
namespace fs = std::filesystem;

std::string xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab/newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string kind_name(std::uint8_t kind) {
  return kind < org_kind_count ? std::string(org_kind_names[kind]) : "kind_" + std::to_string(kind);
}
std::string origin_name(std::uint8_t origin) {
  static const char* names[] = {"autonomous", "partnership", "exchange"};
  return origin < 3 ? names[origin] : "origin_" + std::to_string(origin);
}
std::string region_code(const RunResults& r, std::size_t region) {
  return region < r.regions.size() ? r.regions[region].nuts_id : "region_" + std::to_string(region);
}

std::ofstream open_out(const fs::path& path) {
  std::ofstream out(path);
  if (!out) throw Error(ErrorInfo{"cannot write this file", {path.string(), 0, 0}, "", "", ""});
  return out;
}
void close_out(std::ofstream& out, const fs::path& path) {
  out.close();
  if (!out) throw Error(ErrorInfo{"writing this file failed (disk full?)", {path.string(), 0, 0}, "", "", ""});
}

// Node ids of the final network: the declared nodes, plus any edge endpoint missing from them so
// that the graph file is always well formed.
std::vector<FinalNode> graph_nodes(const ReplicateResults& rep) {
  std::vector<FinalNode> nodes = rep.final_nodes;
  std::vector<OrgIndex> known;
  for (const auto& n : nodes) known.push_back(n.id);
  std::sort(known.begin(), known.end());
  for (const auto& e : rep.final_edges)
    for (OrgIndex id : {e.source, e.target})
      if (!std::binary_search(known.begin(), known.end(), id)) {
        known.insert(std::upper_bound(known.begin(), known.end(), id), id);
        nodes.push_back({id, 255, none<RegionIndex>, 255});
      }
  return nodes;
}

}  // namespace

void write_results_csv(const RunResults& r, const std::string& directory) {
  const fs::path dir(directory);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorInfo{"cannot create the directory: " + ec.message(), {dir.string(), 0, 0}, "--csv", "", ""});
  const std::string sc = csv_quote(r.scenario_name);
  std::vector<std::string> dates;
  for (Month m : r.months) dates.push_back(io::month_label(r.start_year, r.start_month, m));

  {
    const auto p = dir / "metrics.csv";
    auto out = open_out(p);
    out << "scenario,replicate,month,date,group,metric,value,unit\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (std::size_t s = 0; s < r.series.size(); ++s)
        for (std::size_t m = 0; m < r.months.size(); ++m)
          out << sc << ',' << k << ',' << r.months[m] << ',' << dates[m] << ',' << csv_quote(r.series[s].group) << ','
              << csv_quote(r.series[s].name) << ',' << csv_number(r.replicates[k].series[s][m]) << ',' << csv_quote(r.series[s].unit)
              << '\n';
    close_out(out, p);
  }
  {
    const auto p = dir / "regions.csv";
    auto out = open_out(p);
    out << "region,nuts_id,name,country,category,lon,lat,population,gdp_index\n";
    for (std::size_t g = 0; g < r.regions.size(); ++g) {
      const auto& x = r.regions[g];
      out << g << ',' << csv_quote(x.nuts_id) << ',' << csv_quote(x.name) << ',' << csv_quote(x.country) << ',' << csv_quote(x.category) << ','
          << csv_number(x.lon) << ',' << csv_number(x.lat) << ',' << csv_number(x.population) << ',' << csv_number(x.gdp_index) << '\n';
    }
    close_out(out, p);
  }
  {
    const auto p = dir / "region_series.csv";
    auto out = open_out(p);
    out << "scenario,replicate,month,date,nuts_id,series,value,unit\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (std::size_t s = 0; s < r.region_series.size(); ++s)
        for (std::size_t m = 0; m < r.months.size(); ++m)
          for (std::size_t g = 0; g < r.regions.size(); ++g)
            out << sc << ',' << k << ',' << r.months[m] << ',' << dates[m] << ',' << csv_quote(r.regions[g].nuts_id) << ','
                << csv_quote(r.region_series[s].name) << ',' << csv_number(r.replicates[k].region_series[s][m][g]) << ','
                << csv_quote(r.region_series[s].unit) << '\n';
    close_out(out, p);
  }
  {
    const auto p = dir / "partnerships.csv";
    auto out = open_out(p);
    out << "scenario,replicate,id,instrument,lead,members,start,end,grant_eur,smes_supported,status\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (const auto& x : r.replicates[k].partnerships) {
        std::string members;
        for (std::size_t j = 0; j < x.members.size(); ++j) {
          if (j) members += ';';
          members += std::to_string(x.members[j]);
        }
        out << sc << ',' << k << ',' << x.id << ',' << csv_quote(x.instrument) << ',' << x.lead << ',' << members << ','
            << x.start << ',' << x.end << ',' << csv_number(x.grant_eur) << ',' << x.smes_supported << ',' << csv_quote(x.status)
            << '\n';
      }
    close_out(out, p);
  }
  {
    const auto p = dir / "edges.csv";
    auto out = open_out(p);
    out << "scenario,replicate,source,target,weight,formed_month,origin,instrument\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (const auto& e : r.replicates[k].final_edges)
        out << sc << ',' << k << ',' << e.source << ',' << e.target << ',' << csv_number(e.weight) << ',' << e.formed_month
            << ',' << origin_name(e.origin) << ',' << e.instrument << '\n';
    close_out(out, p);
  }
  {
    const auto p = dir / "nodes.csv";
    auto out = open_out(p);
    out << "scenario,replicate,id,kind,region,nuts_id,area\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (const auto& n : r.replicates[k].final_nodes)
        out << sc << ',' << k << ',' << n.id << ',' << kind_name(n.kind) << ',' << n.region << ','
            << csv_quote(region_code(r, n.region)) << ',' << static_cast<int>(n.area) << '\n';
    close_out(out, p);
  }
  {
    const auto p = dir / "tables.csv";
    auto out = open_out(p);
    out << "scenario,replicate,table,month,date,k,value\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (std::size_t t = 0; t < r.replicates[k].tables.size(); ++t)
        for (std::size_t m = 0; m < r.replicates[k].tables[t].size(); ++m)
          for (std::size_t j = 0; j < r.replicates[k].tables[t][m].size(); ++j)
            out << sc << ',' << k << ',' << csv_quote(r.replicates[k].table_names[t]) << ','
                << (m < r.months.size() ? std::to_string(r.months[m]) : std::to_string(m)) << ','
                << (m < dates.size() ? dates[m] : "") << ',' << j << ',' << csv_number(r.replicates[k].tables[t][m][j])
                << '\n';
    close_out(out, p);
  }
}

void write_graphml(const RunResults& r, std::size_t k, const std::string& path) {
  const auto& rep = r.replicates[k];
  auto out = open_out(path);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
      << "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
      << "  <key id=\"region\" for=\"node\" attr.name=\"region\" attr.type=\"string\"/>\n"
      << "  <key id=\"area\" for=\"node\" attr.name=\"area\" attr.type=\"int\"/>\n"
      << "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
      << "  <key id=\"formed_month\" for=\"edge\" attr.name=\"formed_month\" attr.type=\"int\"/>\n"
      << "  <key id=\"origin\" for=\"edge\" attr.name=\"origin\" attr.type=\"string\"/>\n"
      << "  <key id=\"instrument\" for=\"edge\" attr.name=\"instrument\" attr.type=\"int\"/>\n"
      << "  <graph id=\"" << xml(r.scenario_name + " replicate " + std::to_string(k))
      << "\" edgedefault=\"undirected\">\n";
  for (const auto& n : graph_nodes(rep)) {
    out << "    <node id=\"n" << n.id << "\">";
    if (n.kind != 255) {
      out << "<data key=\"kind\">" << xml(kind_name(n.kind)) << "</data><data key=\"region\">"
          << xml(region_code(r, n.region)) << "</data><data key=\"area\">" << static_cast<int>(n.area) << "</data>";
    }
    out << "</node>\n";
  }
  std::size_t i = 0;
  for (const auto& e : rep.final_edges)
    out << "    <edge id=\"e" << i++ << "\" source=\"n" << e.source << "\" target=\"n" << e.target
        << "\"><data key=\"weight\">" << csv_number(e.weight) << "</data><data key=\"formed_month\">" << e.formed_month
        << "</data><data key=\"origin\">" << origin_name(e.origin) << "</data><data key=\"instrument\">"
        << e.instrument << "</data></edge>\n";
  out << "  </graph>\n</graphml>\n";
  close_out(out, path);
}

void write_gexf(const RunResults& r, std::size_t k, const std::string& path) {
  const auto& rep = r.replicates[k];
  auto out = open_out(path);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
      << "  <meta><creator>clusternet</creator><description>"
      << xml("final network of scenario " + r.scenario_name + ", replicate " + std::to_string(k))
      << "</description></meta>\n"
      << "  <graph defaultedgetype=\"undirected\" mode=\"static\">\n"
      << "    <attributes class=\"node\">\n"
      << "      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n"
      << "      <attribute id=\"region\" title=\"region\" type=\"string\"/>\n"
      << "      <attribute id=\"area\" title=\"area\" type=\"integer\"/>\n"
      << "    </attributes>\n"
      << "    <attributes class=\"edge\">\n"
      << "      <attribute id=\"formed_month\" title=\"formed_month\" type=\"integer\"/>\n"
      << "      <attribute id=\"origin\" title=\"origin\" type=\"string\"/>\n"
      << "      <attribute id=\"instrument\" title=\"instrument\" type=\"integer\"/>\n"
      << "    </attributes>\n    <nodes>\n";
  for (const auto& n : graph_nodes(rep)) {
    out << "      <node id=\"n" << n.id << "\" label=\"" << n.id << "\">";
    if (n.kind != 255)
      out << "<attvalues><attvalue for=\"kind\" value=\"" << xml(kind_name(n.kind)) << "\"/><attvalue for=\"region\" value=\""
          << xml(region_code(r, n.region)) << "\"/><attvalue for=\"area\" value=\"" << static_cast<int>(n.area)
          << "\"/></attvalues>";
    out << "</node>\n";
  }
  out << "    </nodes>\n    <edges>\n";
  std::size_t i = 0;
  for (const auto& e : rep.final_edges)
    out << "      <edge id=\"e" << i++ << "\" source=\"n" << e.source << "\" target=\"n" << e.target << "\" weight=\""
        << (std::isfinite(e.weight) ? csv_number(e.weight) : "0") << "\"><attvalues><attvalue for=\"formed_month\" value=\""
        << e.formed_month << "\"/><attvalue for=\"origin\" value=\"" << origin_name(e.origin)
        << "\"/><attvalue for=\"instrument\" value=\"" << e.instrument << "\"/></attvalues></edge>\n";
  out << "    </edges>\n  </graph>\n</gexf>\n";
  close_out(out, path);
}

}  // namespace clusternet::io
