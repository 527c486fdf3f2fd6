/*
 * vr_resources: every resource the API serves.  Each resource file holds
 * its route table (and, for a stored resource, its store declaration);
 * registry.c lists them.  The generic handlers (crud.c) serve any stored
 * resource through the store of their route.
 */
#ifndef VR_RESOURCES_H
#define VR_RESOURCES_H

#include "../db/vr_audit.h"
#include "../db/vr_store.h"
#include "../http/vr_http.h"

/* Who the request acts as: the identity the http layer derived. */
static inline vr_actor_t
vr_request_actor(const vr_request_t *req)
{
	return (vr_actor_t){ req->user, req->roles, req->request_id };
}

/*
 * A resource's routes, its store when it is stored, and the other bodies
 * its routes read or send (NULL-terminated, or NULL): the API's schema
 * is made of these.
 */
typedef struct vr_module {
	const vr_store_t	*store;		/* NULL for views */
	const vr_route_t	*routes;
	const vr_resource_t *const *bodies;
} vr_module_t;

/* Every resource, NULL-terminated (registry.c). */
extern const vr_module_t *const vr_modules[];

/*
 * Builds every store's statements (main thread, before workers).
 * 0, or -1 with the resource named on stderr.
 */
int		 vr_resources_init(void);
/*
 * Every body the API reads or sends, NULL-terminated, in registry order:
 * the stores' resources and the modules' other bodies, each once.
 */
const vr_resource_t *const *vr_api_resources(void);
/* The store whose resource is called name, or NULL. */
const vr_store_t *vr_store_by_name(const char *name, size_t len);

/*
 * A list's query parameters, checked against the store's declaration
 * (filters, limit, sort, search, cursor); q_ is what vr_store_list
 * takes, the rest owns its texts (vr_crud_query_free).  Any other
 * parameter but those of extra (NULL-terminated, or NULL) is 400.
 */
typedef struct vr_crud_query {
	vr_store_query_t q_;
	char		*filters[VR_STORE_MAX_FILTERS];
	char		*q, *sort, *cursor;
} vr_crud_query_t;
vr_err_e	 vr_crud_query(vr_request_t *, const vr_store_t *,
		    const vr_field_t *extra, vr_crud_query_t *);
void		 vr_crud_query_free(vr_crud_query_t *);

/* The generic handlers: a stored resource by the route's store. */
vr_err_e	 vr_crud_create(vr_request_t *, vr_response_t *);
vr_err_e	 vr_crud_get(vr_request_t *, vr_response_t *);
vr_err_e	 vr_crud_patch(vr_request_t *, vr_response_t *);
vr_err_e	 vr_crud_list(vr_request_t *, vr_response_t *);
/*
 * The workflow routes of a resource whose rules keep nothing between
 * guards and effects: GET …/{id}/actions (its row; the guards read the
 * row, not its child lists) and POST …/{id}/transitions
 * {"action","version","comment"}, answering the record as committed.
 */
struct vr_case_type;
vr_err_e	 vr_crud_actions(vr_request_t *, vr_response_t *,
		    const struct vr_case_type *);
vr_err_e	 vr_crud_transition(vr_request_t *, vr_response_t *,
		    const struct vr_case_type *);
/*
 * GET of the list of a workflow resource: vr_crud_list, and with
 * waiting_for=me only the records in which the user may fire a
 * transition now (states by role in SQL, then the guards; so a page may
 * hold fewer than limit, and next_cursor goes on).
 */
vr_err_e	 vr_crud_case_list(vr_request_t *, vr_response_t *,
		    const struct vr_case_type *);
/* The parameter it reads besides the list's: its routes' params. */
extern const vr_field_t vr_crud_waiting_param[];
/*
 * What the workflow routes (vr_crud_actions, vr_crud_transition) of any
 * resource may answer besides the problems of their kind, for the rows.
 */
extern const char *const vr_crud_transition_problems[];



#endif
