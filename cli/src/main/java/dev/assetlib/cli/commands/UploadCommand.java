package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.UsageException;
import dev.assetlib.cli.http.ApiResponse;
import dev.assetlib.cli.http.AssetApi;
import dev.assetlib.cli.media.MediaKind;
import dev.assetlib.cli.media.MediaSniffer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "upload", sortOptions = false,
        description = {"Uploads local files and/or URLs as assets.",
                "A local file goes through the direct-upload route (an upload URL, then a PUT of the file, with a progress "
                        + "bar on a terminal); one URL through the Seedance 2.0 upload route, several URLs as one SD2 "
                        + "Manxue batch (documents each on their own). The type is guessed from the file's content (or "
                        + "the URL's extension) unless --type is given.",
                "URL uploads carry an Idempotency-Key (derived from the request unless --idempotency-key is given), so "
                        + "running the same command again within 24 h, e.g. after Ctrl-C, answers the same assets instead "
                        + "of making new ones. A file whose PUT is interrupted has its asset deleted."},
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib upload ./portrait.jpg --wait",
                "  assetlib upload ./voice.wav --name 'Narrator' --wait --output json",
                "  assetlib upload https://example.com/a.jpg https://example.com/clip.mp4 --wait",
                "  ref=$(assetlib upload ./portrait.png --wait --quiet)   # asset://asset-...",
                "",
                "Exit status: 0 all accepted (with --wait: all Active), 1 any failed or refused, 2 usage, 3 service error."})
final class UploadCommand extends BaseCommand {
    enum AssetType { Image, Video, Audio, Document }

    @Parameters(arity = "1..*", paramLabel = "FILE|URL", description = "Local files, or http(s) URLs the service can fetch.")
    List<String> inputs;

    @Option(names = {"-t", "--type"}, paramLabel = "Image|Video|Audio|Document",
            description = "The asset type of every input (case-sensitive); default: guessed from the content.")
    AssetType type;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "A label for people, given to every asset of this upload.")
    String name;

    @Option(names = {"-w", "--wait"}, description = "Wait until every asset is Active or Failed, then print the asset:// references (or the reasons).")
    boolean await;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Idempotency-Key of the URL upload (1 to 255 visible ASCII characters); with several requests "
                    + "KEY-1, KEY-2, ... Default: derived from the request. Not for files (their route takes none).")
    String idempotencyKey;

    @Option(names = "--no-idempotency-key", description = "Send no Idempotency-Key: every run makes new assets.")
    boolean noIdempotencyKey;

    @Mixin
    WaitOptions waiting;

    private record Input(int index, String source, Path file, String url) {
    }

    @Override
    public Integer call() throws Exception {
        List<Input> files = new ArrayList<>();
        List<Input> urls = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String in = inputs.get(i);
            if (in.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
                urls.add(new Input(i, in, null, in));
            } else {
                Path p = Path.of(in);
                if (!Files.isRegularFile(p)) {
                    throw new UsageException(in + ": no such file (a URL must start with http:// or https://)");
                }
                if (!Files.isReadable(p)) {
                    throw new UsageException(in + ": not readable");
                }
                if (Files.size(p) == 0) {
                    throw new UsageException(in + ": the file is empty");
                }
                files.add(new Input(i, in, p, null));
            }
        }
        if (idempotencyKey != null && noIdempotencyKey) {
            throw new UsageException("--idempotency-key and --no-idempotency-key exclude each other");
        }
        if (idempotencyKey != null && !files.isEmpty()) {
            throw new UsageException("--idempotency-key is for URL uploads only: the direct-upload route of "
                    + String.join(", ", files.stream().map(Input::source).toList()) + " takes none");
        }
        if (name != null && name.length() > 256) {
            throw new UsageException("--name is " + name.length() + " characters: at most 256");
        }
        // Every type is decided before anything is sent: a usage error creates no asset.
        List<MediaKind> fileKinds = new ArrayList<>();
        for (Input f : files) {
            fileKinds.add(fileKind(f));
        }
        List<MediaKind> urlKinds = new ArrayList<>();
        for (Input u : urls) {
            urlKinds.add(urlKind(u));
        }

        Outcome[] outcomes = new Outcome[inputs.size()];
        Printer printer = printer();
        DirectUpload direct = new DirectUpload(api(), context(), root().live());
        for (int i = 0; i < files.size(); i++) {
            Input f = files.get(i);
            outcomes[f.index()] = direct.upload(f.source(), f.file(), fileKinds.get(i), name);
        }
        uploadUrls(urls, urlKinds, outcomes, printer);

        List<Outcome> result = List.of(outcomes);
        if (await) {
            result = waiting.waiter(this).await(result);
        }
        Outcomes.print(printer, result, true);
        return Outcomes.exitCode(result, await);
    }

    private MediaKind fileKind(Input f) throws IOException {
        Optional<MediaKind> sniffed = MediaSniffer.sniff(f.file());
        if (type == null) {
            return sniffed.orElse(MediaKind.UNKNOWN_DOCUMENT);
        }
        if (type == AssetType.Document) {
            return new MediaKind("Document", sniffed.map(MediaKind::contentType).orElse("application/octet-stream"));
        }
        if (sniffed.isPresent() && sniffed.get().assetType().equals(type.name())) {
            return sniffed.get();
        }
        throw new UsageException(f.source() + ": its content is " + sniffed.map(k -> k.contentType() + " (" + k.assetType() + ")")
                .orElse("no format the service takes") + ", not " + article(type) + " (images: jpeg, png, webp, bmp, tiff, gif; "
                + "video: mp4, mov; audio: wav, mp3); use the right --type, or --type Document");
    }

    private MediaKind urlKind(Input u) {
        if (type != null) {
            return new MediaKind(type.name(), null);
        }
        Optional<MediaKind> byName = MediaSniffer.byUrl(u.url());
        if (byName.isPresent()) {
            return byName.get();
        }
        Optional<MediaKind> sniffed = probe(u.url());
        return sniffed.orElseThrow(() -> new UsageException(u.source() + ": cannot tell its type (no known extension, and its "
                + "first bytes are no known format or could not be read): pass --type Image|Video|Audio|Document"));
    }

    /** The first bytes of a URL without an extension, read with a short ranged GET. */
    private Optional<MediaKind> probe(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Range", "bytes=0-" + (MediaSniffer.HEAD_BYTES - 1)).GET().build();
            HttpResponse<InputStream> response = context().http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                return response.statusCode() / 100 == 2 ? MediaSniffer.sniff(in.readNBytes(MediaSniffer.HEAD_BYTES)) : Optional.empty();
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void uploadUrls(List<Input> urls, List<MediaKind> kinds, Outcome[] outcomes, Printer printer) {
        List<Integer> singles = new ArrayList<>();
        List<Integer> batch = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            (kinds.get(i).assetType().equals("Document") ? singles : batch).add(i);
        }
        if (batch.size() == 1) {
            singles.add(batch.remove(0));
        }
        int requests = singles.size() + (batch.isEmpty() ? 0 : 1);
        int n = 0;
        for (int i : singles) {
            Input u = urls.get(i);
            ObjectNode body = Printer.object().put("assetType", kinds.get(i).assetType()).put("url", u.url());
            if (name != null) {
                body.put("name", name);
            }
            ApiResponse answer = api().uploadSingle(body, key(AssetApi.SEEDANCE_UPLOAD, body, requests, ++n));
            replayed(answer, printer);
            outcomes[u.index()] = new Outcome(u.source(), answer.data().path("assetId").asText(), kinds.get(i).assetType(),
                    "Processing", null, null);
        }
        if (batch.isEmpty()) {
            return;
        }
        ObjectNode body = Printer.object();
        ArrayNode images = body.putArray("imageUrls");
        ArrayNode videos = body.putArray("videoUrls");
        ArrayNode audios = body.putArray("audioUrls");
        for (int i : batch) {
            switch (kinds.get(i).assetType()) {
                case "Image" -> images.add(urls.get(i).url());
                case "Video" -> videos.add(urls.get(i).url());
                default -> audios.add(urls.get(i).url());
            }
        }
        ApiResponse answer = api().uploadBatch(body, key(AssetApi.SD2_UPLOAD, body, requests, ++n));
        replayed(answer, printer);
        // Items come back per URL (the same URL twice is two items): match them in order.
        List<JsonNode> items = new ArrayList<>();
        answer.data().path("items").forEach(items::add);
        List<JsonNode> refused = new ArrayList<>();
        answer.data().path("failedItems").forEach(refused::add);
        for (int i : batch) {
            Input u = urls.get(i);
            JsonNode item = take(items, u.url());
            if (item != null) {
                Outcome o = new Outcome(u.source(), item.path("assetId").asText(), item.path("assetType").asText(kinds.get(i).assetType()),
                        item.path("status").asText("submitted"), null, null);
                if (name != null) {
                    api().rename(o.assetId(), name); // the batch route takes no names
                }
                outcomes[u.index()] = o;
            } else {
                JsonNode no = take(refused, u.url());
                outcomes[u.index()] = new Outcome(u.source(), null, kinds.get(i).assetType(), Outcome.REFUSED, null,
                        no == null ? "not in the service's answer" : no.path("errorMessage").asText());
            }
        }
    }

    private static JsonNode take(List<JsonNode> list, String url) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).path("originalUrl").asText().equals(url)) {
                return list.remove(i);
            }
        }
        return null;
    }

    private void replayed(ApiResponse answer, Printer printer) {
        if (answer.replayed()) {
            printer.note("note: this upload ran before (same Idempotency-Key and request within 24 h): the service answered "
                    + "its assets again instead of making new ones; --no-idempotency-key makes new ones");
        }
    }

    private String key(String route, ObjectNode body, int requests, int n) {
        if (noIdempotencyKey) {
            return null;
        }
        if (idempotencyKey != null) {
            return requests == 1 ? idempotencyKey : idempotencyKey + "-" + n;
        }
        return "assetlib-" + sha256(route + "\n" + body);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String article(AssetType t) {
        return (t == AssetType.Image || t == AssetType.Audio ? "an " : "a ") + t;
    }
}
