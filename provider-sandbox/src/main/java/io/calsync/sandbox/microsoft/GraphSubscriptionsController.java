package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /subscriptions}: create (after the validation handshake), read, list, renew, reauthorize, delete. */
@RestController
@RequestMapping(GraphHttp.PREFIX + "/subscriptions")
class GraphSubscriptionsController {

    private final GraphHttp http;
    private final MicrosoftSubscriptions subscriptions;

    GraphSubscriptionsController(GraphHttp http, MicrosoftSubscriptions subscriptions) {
        this.http = http;
        this.subscriptions = subscriptions;
    }

    @PostMapping
    ResponseEntity<String> create(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody(required = false) String body) {
        Account a = http.me(authorization);
        return GraphHttp.respond(201, entity(subscriptions.create(a, GraphJson.parseObject(body))), null);
    }

    @GetMapping
    ResponseEntity<String> list(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Account a = http.me(authorization);
        ArrayNode value = GraphJson.array();
        subscriptions.list(a).forEach(s -> value.add(s.toJson()));
        return GraphHttp.ok(GraphHttp.collection(GraphHttp.context("subscriptions"), value, null), null);
    }

    @GetMapping("/{id}")
    ResponseEntity<String> get(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String id) {
        return GraphHttp.ok(entity(subscriptions.get(http.me(authorization), id)), null);
    }

    @PatchMapping("/{id}")
    ResponseEntity<String> update(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String id,
            @RequestBody(required = false) String body) {
        Account a = http.me(authorization);
        return GraphHttp.ok(entity(subscriptions.update(a, id, GraphJson.parseObject(body))), null);
    }

    /** After a reauthorizationRequired lifecycle notification; nothing to renew here but the answer. */
    @PostMapping("/{id}/reauthorize")
    ResponseEntity<String> reauthorize(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String id) {
        subscriptions.get(http.me(authorization), id);
        return GraphHttp.noContent();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<String> delete(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String id) {
        subscriptions.delete(http.me(authorization), id);
        return GraphHttp.noContent();
    }

    private static ObjectNode entity(GraphSubscription s) {
        ObjectNode j = GraphJson.object();
        j.put("@odata.context", GraphHttp.context("subscriptions/$entity"));
        j.setAll(s.toJson());
        return j;
    }
}
